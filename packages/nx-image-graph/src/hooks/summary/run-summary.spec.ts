import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatSummary } from './format-summary';
import { BuildTaskInfo, summaryRows } from './run-summary';

describe('the run summary', () => {
  const root = mkdtempSync(join(tmpdir(), 'summary-'));
  const write = (path: string, value: object) => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), JSON.stringify(value));
  };
  write('dist/base/docker-build.json', { steps: { cached: 2, total: 3 }, size: 2_000_000, references: ['acme/base:latest'] });
  write('dist/ml/docker-build-cpu.json', { steps: { cached: 3, total: 3 }, size: 5_000_000 });
  write('dist/asr/docker-build-cpu.failure.json', { step: '[3/4] RUN ./download-model.sh', exitCode: 3, message: 'failed' });
  const builds: BuildTaskInfo[] = [
    { taskId: 'base:docker-build', project: 'base', metadataFile: 'dist/base/docker-build.json', parents: [] },
    {
      taskId: 'ml:docker-build-cpu',
      project: 'ml',
      variant: 'cpu',
      metadataFile: 'dist/ml/docker-build-cpu.json',
      parents: ['base:docker-build'],
    },
    {
      taskId: 'asr:docker-build-cpu',
      project: 'asr',
      variant: 'cpu',
      metadataFile: 'dist/asr/docker-build-cpu.json',
      parents: ['ml:docker-build-cpu'],
    },
    { taskId: 'app:docker-build', project: 'app', metadataFile: 'dist/app/docker-build.json', parents: ['asr:docker-build-cpu'] },
    { taskId: 'tool:docker-build', project: 'tool', metadataFile: 'dist/app/docker-build.json', parents: ['app:docker-build'] },
    { taskId: 'unrun:docker-build', project: 'unrun', metadataFile: 'dist/unrun/docker-build.json', parents: [] },
  ];
  const rows = summaryRows(
    {
      'base:docker-build': { status: 'success', startTime: 0, endTime: 4200 },
      'ml:docker-build-cpu': { status: 'remote-cache' },
      'asr:docker-build-cpu': { status: 'failure' },
      'app:docker-build': { status: 'skipped' },
      // tool: built on app, but not one of the run's tasks (`nx run app:docker-build`): not listed.
    },
    builds,
    root,
    undefined,
    new Set(['base:docker-build', 'ml:docker-build-cpu', 'asr:docker-build-cpu', 'app:docker-build']),
  );

  it('orders the rows parents first, whatever order the graph gave the builds in', () => {
    const shuffled = summaryRows(
      {
        'base:docker-build': { status: 'success' },
        'ml:docker-build-cpu': { status: 'success' },
        'asr:docker-build-cpu': { status: 'success' },
        'unrun:docker-build': { status: 'success' },
      },
      [builds[2], builds[5], builds[1], builds[0]],
      root,
    );
    expect(shuffled.map((r) => r.task)).toEqual(['base:docker-build', 'ml:docker-build-cpu', 'asr:docker-build-cpu', 'unrun:docker-build']);
  });

  it('has one row per image build that ran, with its outcome', () => {
    expect(rows.map((r) => [r.image, r.outcome])).toEqual([
      ['base', 'built'],
      ['ml (cpu)', 'remote cache'],
      ['asr (cpu)', 'failed'],
      ['app', 'skipped'],
    ]);
  });

  it('names the failing step and the failed parent behind every skipped image', () => {
    expect(rows.find((r) => r.image === 'asr (cpu)')!.note).toBe('at [3/4] RUN ./download-model.sh (exit code 3)');
    expect(rows.find((r) => r.image === 'app')!.note).toBe('because asr (cpu) failed');
  });

  it('prints a table, parents first, with totals, every column labelled', () => {
    const text = formatSummary(rows, 200);
    const lines = text.split('\n');
    expect(lines[1].split(/\s{2,}/)).toEqual(['image', 'reference', 'build', 'steps cached', 'time', 'size', 'details']);
    expect(lines.slice(3, 7).map((l) => l.split(/\s{2,}/)[0])).toEqual(['base', 'ml (cpu)', 'asr (cpu)', 'app']);
    expect(lines[5]).toMatch(/^asr \(cpu\)\s+-\s+failed\s+-\s+-\s+-\s+at \[3\/4\] RUN/);
    expect(text).toMatch(/base\s+acme\/base:latest\s+built\s+2\/3\s+4\.2s\s+2\.0 MB/);
    // A cache hit ran no step: the counts are the restored build's, marked so.
    expect(text).toMatch(/ml \(cpu\)\s+-\s+remote cache\s+\(3\/3\)\s+-\s+5\.0 MB/);
    expect(text).toContain('(n/m) steps cached: of the build a cache hit restored; the hit itself ran no step');
    expect(lines[lines.length - 1]).toBe('4 image builds: 1 failed, 1 skipped, 1 built, 1 remote cache');
  });

  it("lists only the run's builds: `nx run base-cpu:docker-build` with a failing base is one build, not its children", () => {
    const one = summaryRows({ 'base:docker-build': { status: 'failure' } }, builds, root, undefined, new Set(['base:docker-build']));
    expect(one.map((r) => r.image)).toEqual(['base']);
    expect(formatSummary(one, 100).split('\n').pop()).toBe('1 image build: 1 failed');
    // `nx run app:docker-build`: Nx reports no result for the app it skipped; the run's task graph names it.
    const run = new Set(['base:docker-build', 'ml:docker-build-cpu', 'asr:docker-build-cpu', 'app:docker-build']);
    const skipped = summaryRows({ 'base:docker-build': { status: 'failure' } }, builds, root, undefined, run);
    expect(skipped.map((r) => [r.image, r.outcome, r.note ?? ''])).toEqual([
      ['base', 'failed', 'see its output above'],
      ['ml (cpu)', 'skipped', 'because base failed'],
      ['asr (cpu)', 'skipped', 'because base failed'],
      ['app', 'skipped', 'because base failed'],
    ]);
  });

  it('wraps the details within the width, dropping nothing', () => {
    const step =
      '[2/6] RUN apt-get update && apt-get install -y --no-install-recommends build-essential cmake ninja-build git && rm -rf /var/lib/apt/lists/*';
    const long = [{ ...rows[2], note: `at ${step} (exit code 100)` }];
    for (const width of [80, 120]) {
      const lines = formatSummary(long, width).split('\n');
      for (const line of lines) expect(line.length).toBeLessThanOrEqual(width);
      const detailsAt = lines[1].indexOf('details');
      const details = lines
        .slice(3, -2)
        .map((l) => l.slice(detailsAt))
        .join(' ');
      expect(details.replace(/\s+/g, '')).toBe(`at ${step} (exit code 100)`.replace(/\s+/g, ''));
    }
  });

  it('wraps a long reference too, and stacks each row where no table fits', () => {
    const wide = [
      {
        ...rows[0],
        reference: 'us-central1-docker.pkg.dev/weight-and-biases-476906/arr-coc-registry/arr-trainer:latest',
        note: 'tags re-pointed to 0123456789ab: acme/base:latest',
      },
    ];
    const lines = formatSummary(wide, 100).split('\n');
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(100);
    expect(lines.join('\n')).toContain('arr-coc-registry/');
    const narrow = formatSummary(wide, 40).split('\n');
    for (const line of narrow) expect(line.length).toBeLessThanOrEqual(40);
    expect(narrow).toContain('base: built');
    expect(narrow.join(' ').replace(/\s+/g, ' ')).toMatch(
      /reference: us-central1-docker\.pkg\.dev\/ weight-and-biases-476906\/ arr-coc-registry\/arr-trainer:latest/,
    );
  });

  it('names the platform of each build of a multi-platform image', () => {
    const plat = summaryRows(
      { 'torch:docker-build-cuda-linux-arm64': { status: 'success' }, 'torch:docker-build-cuda-linux-amd64': { status: 'success' } },
      [
        {
          taskId: 'torch:docker-build-cuda-linux-amd64',
          project: 'torch',
          variant: 'cuda',
          platform: 'linux/amd64',
          metadataFile: 'dist/torch/a.json',
          parents: [],
        },
        {
          taskId: 'torch:docker-build-cuda-linux-arm64',
          project: 'torch',
          variant: 'cuda',
          platform: 'linux/arm64',
          metadataFile: 'dist/torch/b.json',
          parents: [],
        },
      ],
      root,
    );
    expect(plat.map((r) => r.image)).toEqual(['torch (cuda, linux/amd64)', 'torch (cuda, linux/arm64)']);
  });

  it('says why each built image was built, from its recorded inputs, on a line wrapped to the width', () => {
    const why = ['images/gpu/requirements.txt changed', 'parent base 1a2b3c4d5e6f→4d5e6f1a2b3c'];
    write('dist/gpu/docker-build.json', { steps: { cached: 1, total: 3 }, size: 3_000_000, references: ['acme/gpu:latest'] });
    write('dist/gpu/docker-build.inputs.json', { schemaVersion: 1, files: {}, parents: [], bases: [], args: {}, settings: 's', why });
    write('dist/again/docker-build.inputs.json', { schemaVersion: 1, files: {}, parents: [], bases: [], args: {}, settings: 's', why: [] });
    const built = summaryRows(
      {
        'gpu:docker-build': { status: 'success' },
        'again:docker-build': { status: 'success' },
        'hit:docker-build': { status: 'local-cache' },
      },
      [
        { taskId: 'gpu:docker-build', project: 'gpu', metadataFile: 'dist/gpu/docker-build.json', parents: [] },
        { taskId: 'again:docker-build', project: 'again', metadataFile: 'dist/again/docker-build.json', parents: [] },
        // A cache hit's record says why that earlier build ran: not shown.
        { taskId: 'hit:docker-build', project: 'hit', metadataFile: 'dist/gpu/docker-build.json', parents: [] },
      ],
      root,
    );
    expect(built.map((r) => r.why)).toEqual([
      'no recorded input changed',
      'images/gpu/requirements.txt changed, parent base 1a2b3c4d5e6f→4d5e6f1a2b3c',
      undefined,
    ]);
    const lines = formatSummary(built, 90).split('\n');
    expect(lines[1].split(/\s{2,}/)).toEqual(['image', 'reference', 'build', 'steps cached', 'time', 'size', 'details']);
    // What the record does not hold, the hook adds (Nx's own input hashes).
    const more = summaryRows(
      { 'again:docker-build': { status: 'success' } },
      [{ taskId: 'again:docker-build', project: 'again', metadataFile: 'dist/again/docker-build.json', parents: [] }],
      root,
      (id) => (id === 'again:docker-build' ? ['Nx input nx.json changed'] : []),
    );
    expect(more[0].why).toBe('Nx input nx.json changed');
    const gpu = lines.findIndex((l) => l.startsWith('gpu'));
    expect(lines[gpu]).toMatch(/^gpu\s+acme\/gpu:latest\s+built\s+1\/3/);
    expect(lines[gpu + 1]).toBe('  why: images/gpu/requirements.txt changed, parent base 1a2b3c4d5e6f→4d5e6f1a2b3c');
    const narrow = formatSummary(built, 50).split('\n');
    const at = narrow.findIndex((l) => l.startsWith('  why: images/gpu/'));
    const whyLines = [narrow[at], ...narrow.slice(at + 1).filter((l, i, all) => all.slice(0, i + 1).every((x) => x.startsWith('       ')))];
    expect(whyLines.map((l) => l.trim()).join(' ')).toBe('why: images/gpu/requirements.txt changed, parent base 1a2b3c4d5e6f→4d5e6f1a2b3c');
    for (const line of narrow) expect(line.length).toBeLessThanOrEqual(50);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(90);
  });

  it('shows push, validate and materialize outcomes only when those tasks ran', () => {
    const withFollowUps = summaryRows(
      {
        'base:docker-build': { status: 'local-cache' },
        'base:docker-push': { status: 'success' },
        'base:docker-validate': { status: 'failure' },
      },
      [{ ...builds[0], pushTask: 'base:docker-push', validateTask: 'base:docker-validate', materializeTask: 'base:docker-materialize' }],
      root,
    );
    const lines = formatSummary(withFollowUps, 200).split('\n');
    expect(lines[1].split(/\s{2,}/)).toEqual([
      'image',
      'reference',
      'build',
      'steps cached',
      'time',
      'size',
      'push',
      'validate',
      'details',
    ]);
    expect(lines[3]).toMatch(/^base\s+acme\/base:latest\s+local cache\s+\(2\/3\)\s+-\s+2\.0 MB\s+done\s+failed$/);
  });

  it("repeats a built image's warnings under its row, since run-many shows no successful build's output", () => {
    write('dist/big/docker-build.json', { steps: { cached: 0, total: 1 }, size: 1_000_000 });
    write('dist/big/docker-build.warnings.json', {
      warnings: [
        'the build context images/big sends 250.0 MB to the engine (over 200.0 MB): data/ 249.0 MB. Exclude what the build does not need',
      ],
    });
    const warned = summaryRows(
      { 'big:docker-build': { status: 'success' } },
      [{ taskId: 'big:docker-build', project: 'big', metadataFile: 'dist/big/docker-build.json', parents: [] }],
      root,
    );
    expect(warned[0].warnings).toHaveLength(1);
    const lines = formatSummary(warned, 200).split('\n');
    expect(lines[4]).toBe(
      '  warning: the build context images/big sends 250.0 MB to the engine (over 200.0 MB): data/ 249.0 MB. Exclude what the build does not need',
    );
  });

  it("says when the engine had the image of a build's exact inputs (nothing was built), and not for a cache hit restoring such a record", () => {
    const id = `sha256:${'ab'.repeat(32)}`;
    write('dist/same/docker-build.json', { steps: { cached: 2, total: 2 }, imageId: id, reused: 'engine' });
    const info = (project: string): BuildTaskInfo => ({
      taskId: `${project}:docker-build`,
      project,
      metadataFile: 'dist/same/docker-build.json',
      parents: [],
    });
    const rows = summaryRows(
      { 'same:docker-build': { status: 'success' }, 'hit:docker-build': { status: 'local-cache' } },
      [info('same'), info('hit')],
      root,
    );
    const [built, hit] = ['same', 'hit'].map((image) => rows.find((r) => r.image === image)!);
    expect(built).toMatchObject({ outcome: 'built', note: 'engine: same inputs as abababababab', steps: { cached: 2, total: 2 } });
    expect(hit.note).toBeUndefined();
  });
});
