import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as pluginOptions from './plugin-options';
import { normalizeOptions, PluginOptionsError } from './plugin-options';
import { validateOptionsOnce } from './validated-options';

const cache = mkdtempSync(join(tmpdir(), 'nig-options-'));
jest.mock('../../core/nx/nx-helpers', () => ({ ...jest.requireActual('../../core/nx/nx-helpers'), nxCacheDir: () => cache }));
afterAll(() => rmSync(cache, { recursive: true, force: true }));

describe('plugin options checked once per plugin version (a fresh plugin worker then loads no schema)', () => {
  let validate: jest.SpyInstance;
  beforeEach(() => {
    validate = jest.spyOn(pluginOptions, 'validateOptions');
  });
  afterEach(() => validate.mockRestore());

  it('valid options are checked the first time, then taken as remembered, with the same result', () => {
    const raw = { registries: ['localhost:5000/team'], projectNames: 'path' };
    const first = normalizeOptions(raw, validateOptionsOnce);
    expect(validate).toHaveBeenCalledTimes(1);
    expect(readdirSync(join(cache, 'nx-image-graph'))).toHaveLength(1);
    const second = normalizeOptions({ ...raw }, validateOptionsOnce);
    expect(validate).toHaveBeenCalledTimes(1);
    expect(second).toEqual(first);
    expect(second).toMatchObject({ registries: ['localhost:5000/team'], projectNames: 'path', buildTargetName: 'docker-build' });
  });

  it('invalid options are never remembered: the error comes every time', () => {
    for (let i = 0; i < 2; i++) {
      expect(() => normalizeOptions({ outputDir: 5 }, validateOptionsOnce)).toThrow(
        new PluginOptionsError(
          'nx.json: nx-image-graph option "outputDir" must be a string: a directory inside the workspace, e.g. "dist"; got 5',
        ),
      );
    }
    expect(validate).toHaveBeenCalledTimes(2);
  });

  it('no options, or empty ones, need no check at all', () => {
    expect(normalizeOptions(undefined, validateOptionsOnce)).toEqual(normalizeOptions({}, validateOptionsOnce));
    expect(validate).not.toHaveBeenCalled();
  });
});
