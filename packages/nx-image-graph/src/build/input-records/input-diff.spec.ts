import { formatReasons, inputReasons, PlannedInputs, shortId } from './input-diff';
import { recordedArgs, RecordedInputs, settingsDigest } from './recorded-inputs';

const ID = (c: string) => `sha256:${c.repeat(64)}`;
const previous: RecordedInputs = {
  schemaVersion: 1,
  files: { 'images/app/Dockerfile': 'h1', 'images/app/a.txt': 'h2', 'images/app/gone.txt': 'h3' },
  parents: [{ project: 'base', imageId: ID('1') }],
  bases: [{ reference: 'busybox:1.36', imageId: ID('a') }],
  args: recordedArgs({ VERSION: '1.0', HF_TOKEN: 'hf_secret_one' }),
  settings: settingsDigest({ dockerfile: 'images/app/Dockerfile', tags: ['latest'] }),
};
const same = (): PlannedInputs => ({
  ...previous,
  files: { ...previous.files },
  parents: [...previous.parents],
  bases: [...previous.bases],
  args: { ...previous.args },
});

describe('inputReasons', () => {
  it('says nothing when the inputs are the recorded ones', () => {
    expect(inputReasons(previous, same())).toEqual([]);
  });

  it('names files changed, added and removed by path', () => {
    const now = same();
    now.files = { 'images/app/Dockerfile': 'h1', 'images/app/a.txt': 'h2b', 'images/app/new.txt': 'h4' };
    expect(inputReasons(previous, now)).toEqual(['images/app/a.txt changed', 'images/app/new.txt added', 'images/app/gone.txt removed']);
  });

  it('names three files and counts the rest', () => {
    const now = same();
    now.files = { ...previous.files, ...Object.fromEntries(['a', 'b', 'c', 'd', 'e'].map((n) => [`images/app/${n}`, 'x'])) };
    expect(inputReasons(previous, now)).toEqual(['images/app/a added', 'images/app/b added', 'images/app/c added', '2 more files']);
  });

  it('gives a parent and an external base old→new, and a parent that rebuilds', () => {
    const now = same();
    now.parents = [{ project: 'base', imageId: ID('2') }];
    now.bases = [{ reference: 'busybox:1.36', imageId: ID('b') }];
    expect(inputReasons(previous, now)).toEqual(['parent base 111111111111→222222222222', 'base busybox:1.36 aaaaaaaaaaaa→bbbbbbbbbbbb']);
    now.parents = [{ project: 'base', pending: 'rebuilds' }];
    expect(inputReasons(previous, now)).toContain('parent base rebuilds');
  });

  it('compares a parent with the same build of it: two parents from one project (devel and runtime) are two parents', () => {
    const devel = { project: 'cuda-base', target: 'docker-build-devel', imageId: ID('d') };
    const runtime = { project: 'cuda-base', target: 'docker-build-runtime', imageId: ID('r') };
    const before = { ...previous, parents: [devel, runtime] };
    // Neither changed, whatever the order: no reason (it used to set the devel id against the runtime id).
    expect(inputReasons(before, { ...same(), parents: [runtime, devel] })).toEqual([]);
    expect(inputReasons(before, { ...same(), parents: [devel, { ...runtime, imageId: ID('s') }] })).toEqual([
      'parent cuda-base:docker-build-runtime rrrrrrrrrrrr→ssssssssssss',
    ]);
    // A record from before targets were recorded: matched by the ids it has.
    const old = {
      ...previous,
      parents: [
        { project: 'cuda-base', imageId: ID('d') },
        { project: 'cuda-base', imageId: ID('r') },
      ],
    };
    expect(inputReasons(old, { ...same(), parents: [runtime, devel] })).toEqual([]);
  });

  it('names args, and a credential-looking one without any value', () => {
    const now = same();
    now.args = recordedArgs({ VERSION: '1.1', HF_TOKEN: 'hf_secret_two', EXTRA: 'x' });
    const reasons = inputReasons(previous, now);
    expect(reasons).toEqual(['arg VERSION 1.0→1.1', 'arg HF_TOKEN changed', 'arg EXTRA added']);
    expect(JSON.stringify({ reasons, now })).not.toMatch(/hf_secret/);
  });

  it('names other settings, and a target never recorded', () => {
    const now = same();
    now.settings = settingsDigest({ dockerfile: 'images/app/Dockerfile', tags: ['latest', '1.0'] });
    expect(inputReasons(previous, now)).toEqual(['build settings changed']);
    expect(inputReasons(undefined, now)).toEqual(['no earlier build recorded']);
  });

  it('treats an unset setting and false as the same', () => {
    expect(settingsDigest({ dockerfile: 'D', noCache: false })).toBe(settingsDigest({ dockerfile: 'D' }));
  });
});

describe('formatReasons', () => {
  it('one line, nothing for no reason', () => {
    expect(formatReasons(['a changed', 'parent base rebuilds'])).toBe('because a changed, parent base rebuilds');
    expect(formatReasons([])).toBe('');
    expect(shortId(undefined)).toBe('absent');
  });
});
