import { removeImages } from './support/engine';
import { exampleFiles } from './support/example-files';
import { TestWorkspace } from './support/test-workspace';

/**
 * The example graph of images/ (seed 003's 20 builds plus the linnaeus pair), copied into a fresh
 * workspace under its own repository owner: what a change to a base or a stage rebuilds.
 */
const OWNER = `e2eex${process.pid}`;
const CPU_STAGES = ['demux', 'mux', 'post-ner', 'pre-ner', 'subtitle-gen', 'tmdb'];
const GPU_STAGES = ['asr', 'diarization', 'lyrics-detection', 'pyannote-vad', 'second-pass-translation', 'silero-vad'];

describe('the example graph: what a change rebuilds', () => {
  let ws: TestWorkspace;
  const built = () =>
    (JSON.parse(ws.read('dist/image-run-summary.json')).rows as { image: string; outcome: string }[])
      .filter((r) => r.outcome === 'built')
      .map((r) => r.image)
      .sort();

  beforeAll(() => {
    ws = TestWorkspace.create('example-graph', exampleFiles(OWNER));
    const r = ws.nx(['run-many', '-t', 'docker-build']);
    if (r.code !== 0) throw new Error(`the example graph did not build:\n${r.output}`);
  });
  afterAll(async () => {
    ws?.remove();
    await removeImages(`${OWNER}/`);
  });

  it('builds all 28 builds from a fresh workspace', () => {
    expect(built()).toHaveLength(28);
  });

  it('a change to the CPU base rebuilds exactly the CPU base and what is built on it, cpu variants only', () => {
    ws.write({ 'images/base/cpu/Dockerfile': `${ws.read('images/base/cpu/Dockerfile')}\nLABEL change=cpu-base\n` });
    ws.git('-c', 'user.name=e2e', '-c', 'user.email=e2e@example.invalid', 'commit', '-qam', 'change the cpu base');
    const r = ws.nx(['affected', '-t', 'docker-build', '--base=HEAD~1', '--head=HEAD']);
    expect(r.code).toBe(0);
    expect(built()).toEqual(['base-cpu', 'ml-base (cpu)', ...CPU_STAGES, ...GPU_STAGES.map((s) => `${s} (cpu)`)].sort());
  });

  it('a change to one GPU stage rebuilds that stage’s variants only', () => {
    ws.write({ 'images/stages/gpu/asr/Dockerfile': `${ws.read('images/stages/gpu/asr/Dockerfile')}\nLABEL change=asr\n` });
    ws.git('-c', 'user.name=e2e', '-c', 'user.email=e2e@example.invalid', 'commit', '-qam', 'change asr');
    const r = ws.nx(['affected', '-t', 'docker-build', '--base=HEAD~1', '--head=HEAD']);
    expect(r.code).toBe(0);
    expect(built()).toEqual(['asr (cpu)', 'asr (cuda)']);
  });
});
