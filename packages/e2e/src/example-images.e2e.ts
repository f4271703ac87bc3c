import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { imageIdOf } from './support/engine';
import { REPO_ROOT } from './support/paths';

/** The repo's own images/ graph, through the repo's own (dogfooded) plugin: what `npm run images` builds. */
function nx(args: string[]) {
  const r = spawnSync(join(REPO_ROOT, 'node_modules', '.bin', 'nx'), args, {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status ?? 1, output: `${r.stdout}\n${r.stderr}` };
}

const GPU_STAGES = ['asr', 'diarization', 'lyrics-detection', 'pyannote-vad', 'second-pass-translation', 'silero-vad'];
const CPU_STAGES = ['demux', 'mux', 'post-ner', 'pre-ner', 'subtitle-gen', 'tmdb'];

describe('the example image graph in images/', () => {
  it('has exactly the intended edges', () => {
    const file = join(REPO_ROOT, 'tmp', 'example-graph.json');
    const r = nx(['graph', `--file=${file}`]);
    expect(r.code).toBe(0);
    const graph = JSON.parse(readFileSync(file, 'utf8')) as {
      graph: { nodes: Record<string, { data: { tags?: string[] } }>; dependencies: Record<string, { source: string; target: string }[]> };
    };
    rmSync(file, { force: true });
    const isImage = (p: string) => graph.graph.nodes[p]?.data.tags?.includes('image');
    const edges = Object.values(graph.graph.dependencies)
      .flat()
      .filter((d) => isImage(d.source) && isImage(d.target))
      .map((d) => `${d.source} -> ${d.target}`)
      .sort();
    expect(edges).toEqual(
      [
        'ml-base -> base-cpu',
        'ml-base -> base-cuda',
        ...CPU_STAGES.map((s) => `${s} -> base-cpu`),
        'mux -> demux',
        ...GPU_STAGES.map((s) => `${s} -> ml-base`),
        'linnaeus-base -> base-cuda',
        'linnaeus-runtime -> linnaeus-base',
      ].sort(),
    );
  });

  it('builds with nx run-many, parents first, and every image lands in the engine', async () => {
    const r = nx(['run-many', '-t', 'docker-build', '--outputStyle=stream']);
    expect(r.code).toBe(0);
    for (const ref of [
      'acme/base:cpu',
      'acme/base:cuda',
      'acme/ml-base:cpu',
      'acme/ml-base:cuda',
      ...CPU_STAGES.map((s) => `acme/${s}:cpu`),
      ...GPU_STAGES.flatMap((s) => [`acme/${s}:cpu`, `acme/${s}:cuda`]),
      'acme/linnaeus-base:hopper-cu128-torch2.8.0rc0-fav3',
    ]) {
      expect(await imageIdOf(ref)).toMatch(/^sha256:/);
    }
  });
});
