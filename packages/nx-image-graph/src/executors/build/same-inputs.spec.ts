import type Docker from 'dockerode';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readDockerfile } from '../../dockerfile';
import { buildRecord } from '../../plan/build-record';
import { inputsFileOf, writeRecordedInputs } from '../../plan/recorded-inputs';
import { sameInputsImage } from './same-inputs';
import type { BuildExecutorOptions } from './schema';

const ID = `sha256:${'a'.repeat(64)}`;
const PARENT = `sha256:${'b'.repeat(64)}`;

describe('the recorded image for the same inputs', () => {
  const root = mkdtempSync(join(tmpdir(), 'same-inputs-'));
  mkdirSync(join(root, 'images/app'), { recursive: true });
  const dockerfile = 'FROM acme/base\nCOPY app.sh /app.sh\n';
  writeFileSync(join(root, 'images/app/Dockerfile'), dockerfile);
  writeFileSync(join(root, 'images/app/app.sh'), 'echo 1\n');
  const options: BuildExecutorOptions = { dockerfile: 'images/app/Dockerfile', context: 'images/app', repository: 'acme/app', tags: ['latest'], parents: [], metadataFile: 'dist/images/app/docker-build.json' };
  const parents = [{ project: 'base', target: 'docker-build', imageId: PARENT }];
  const labels = { 'org.opencontainers.image.title': 'app' };
  const engine = (present: boolean, imageLabels = labels) => ({ getImage: () => ({ inspect: async () => (present ? { Id: ID, Config: { Labels: imageLabels } } : Promise.reject(new Error('no such image'))) }) }) as unknown as Docker;
  const check = (docker: Docker, o: BuildExecutorOptions = options) =>
    sameInputsImage({ docker, root, options: o, model: readDockerfile(dockerfile, o.dockerfile), parents, bases: [], onBuildContext: false, labels, print: () => undefined });

  beforeAll(() => {
    const metadataPath = join(root, options.metadataFile);
    mkdirSync(join(root, 'dist/images/app'), { recursive: true });
    writeFileSync(metadataPath, JSON.stringify({ schemaVersion: 1, project: 'app', target: 'docker-build', repository: 'acme/app', tags: ['latest'], references: ['acme/app:latest'], imageId: ID, nxHash: '1', args: {}, parents: [], bases: [] }));
    const facts = { context: 'images/app', dockerfile: 'images/app/Dockerfile', contextFiles: ['app.sh'], onBuildContext: false, parents, bases: [], args: {}, options, nxHash: '1' };
    writeRecordedInputs(inputsFileOf(metadataPath), buildRecord(root, facts, undefined));
  });

  it('is the recorded image when nothing the build reads changed (an nx.json edit): whatever BuildKit\'s cache holds', async () => {
    expect((await check(engine(true)))?.imageId).toBe(ID);
  });

  it('is not, when the engine lost the image, its labels differ, --no-cache, or an input changed', async () => {
    expect(await check(engine(false))).toBeUndefined();
    expect(await check(engine(true, { 'org.opencontainers.image.title': 'other' }))).toBeUndefined();
    expect(await check(engine(true), { ...options, noCache: true })).toBeUndefined();
    process.env.NX_SKIP_NX_CACHE = 'true';
    try {
      expect(await check(engine(true))).toBeUndefined();
    } finally {
      delete process.env.NX_SKIP_NX_CACHE;
    }
    expect(await check(engine(true), { ...options, buildArg: ['X=1'] })).toBeUndefined();
    writeFileSync(join(root, 'images/app/app.sh'), 'echo 2\n');
    expect(await check(engine(true))).toBeUndefined();
  });
});
