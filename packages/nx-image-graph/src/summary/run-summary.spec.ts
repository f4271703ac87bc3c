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
    { taskId: 'ml:docker-build-cpu', project: 'ml', variant: 'cpu', metadataFile: 'dist/ml/docker-build-cpu.json', parents: ['base:docker-build'] },
    { taskId: 'asr:docker-build-cpu', project: 'asr', variant: 'cpu', metadataFile: 'dist/asr/docker-build-cpu.json', parents: ['ml:docker-build-cpu'] },
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
      // tool: Nx leaves skipped tasks out of its results.
    },
    builds,
    root,
  );

  it('has one row per image build that ran, with its outcome', () => {
    expect(rows.map((r) => [r.image, r.outcome])).toEqual([
      ['base', 'built'],
      ['ml (cpu)', 'remote cache'],
      ['asr (cpu)', 'failed'],
      ['app', 'skipped'],
      ['tool', 'skipped'],
    ]);
  });

  it('names the failing step and the failed parent behind every skipped image', () => {
    expect(rows.find((r) => r.image === 'asr (cpu)')!.note).toBe('at [3/4] RUN ./download-model.sh (exit code 3)');
    expect(rows.find((r) => r.image === 'app')!.note).toBe('because asr (cpu) failed');
    expect(rows.find((r) => r.image === 'tool')!.note).toBe('because asr (cpu) failed');
  });

  it('prints a table, worst first, with totals, every column labelled', () => {
    const text = formatSummary(rows, 200);
    const lines = text.split('\n');
    expect(lines[1].split(/\s{2,}/)).toEqual(['image', 'reference', 'build', 'steps cached', 'time', 'size', 'details']);
    expect(lines[3]).toMatch(/^asr \(cpu\)\s+-\s+failed\s+-\s+-\s+-\s+at \[3\/4\] RUN/);
    expect(text).toMatch(/base\s+acme\/base:latest\s+built\s+2\/3\s+4\.2s\s+2\.0 MB/);
    expect(lines[lines.length - 1]).toBe('5 image builds: 1 failed, 2 skipped, 1 built, 1 remote cache');
  });

  it('cuts the details to the width', () => {
    const long = [{ ...rows[2], note: `at ${'x'.repeat(300)}` }];
    for (const line of formatSummary(long, 80).split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    expect(formatSummary(long, 80)).toMatch(/x…$/m);
  });

  it('says why each built image was built, from its recorded inputs, on a line cut to the width', () => {
    const why = ['images/gpu/requirements.txt changed', 'parent base 1a2b3c4d5e6f→4d5e6f1a2b3c'];
    write('dist/gpu/docker-build.json', { steps: { cached: 1, total: 3 }, size: 3_000_000, references: ['acme/gpu:latest'] });
    write('dist/gpu/docker-build.inputs.json', { schemaVersion: 1, files: {}, parents: [], bases: [], args: {}, settings: 's', why });
    write('dist/again/docker-build.inputs.json', { schemaVersion: 1, files: {}, parents: [], bases: [], args: {}, settings: 's', why: [] });
    const built = summaryRows(
      { 'gpu:docker-build': { status: 'success' }, 'again:docker-build': { status: 'success' }, 'hit:docker-build': { status: 'local-cache' } },
      [
        { taskId: 'gpu:docker-build', project: 'gpu', metadataFile: 'dist/gpu/docker-build.json', parents: [] },
        { taskId: 'again:docker-build', project: 'again', metadataFile: 'dist/again/docker-build.json', parents: [] },
        // A cache hit's record says why that earlier build ran: not shown.
        { taskId: 'hit:docker-build', project: 'hit', metadataFile: 'dist/gpu/docker-build.json', parents: [] },
      ],
      root,
    );
    expect(built.map((r) => r.why)).toEqual(['images/gpu/requirements.txt changed, parent base 1a2b3c4d5e6f→4d5e6f1a2b3c', 'no recorded input changed', undefined]);
    const lines = formatSummary(built, 90).split('\n');
    expect(lines[1].split(/\s{2,}/)).toEqual(['image', 'reference', 'build', 'steps cached', 'time', 'size', 'details']);
    // What the record does not hold, the hook adds (Nx's own input hashes).
    const more = summaryRows({ 'again:docker-build': { status: 'success' } }, [{ taskId: 'again:docker-build', project: 'again', metadataFile: 'dist/again/docker-build.json', parents: [] }], root, (id) => (id === 'again:docker-build' ? ['Nx input nx.json changed'] : []));
    expect(more[0].why).toBe('Nx input nx.json changed');
    const gpu = lines.findIndex((l) => l.startsWith('gpu'));
    expect(lines[gpu]).toMatch(/^gpu\s+acme\/gpu:latest\s+built\s+1\/3/);
    expect(lines[gpu + 1]).toBe('  why: images/gpu/requirements.txt changed, parent base 1a2b3c4d5e6f→4d5e6f1a2b3c');
    expect(formatSummary(built, 50).split('\n')[gpu + 1]).toMatch(/^  why: images\/gpu\/requirements\.txt.*…$/);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(90);
  });

  it('shows push, validate and materialize outcomes only when those tasks ran', () => {
    const withFollowUps = summaryRows(
      { 'base:docker-build': { status: 'local-cache' }, 'base:docker-push': { status: 'success' }, 'base:docker-validate': { status: 'failure' } },
      [{ ...builds[0], pushTask: 'base:docker-push', validateTask: 'base:docker-validate', materializeTask: 'base:docker-materialize' }],
      root,
    );
    const lines = formatSummary(withFollowUps, 200).split('\n');
    expect(lines[1].split(/\s{2,}/)).toEqual(['image', 'reference', 'build', 'steps cached', 'time', 'size', 'push', 'validate', 'details']);
    expect(lines[3]).toMatch(/^base\s+acme\/base:latest\s+local cache\s+2\/3\s+-\s+2\.0 MB\s+done\s+failed$/);
  });

  it('says when the engine had the image of a build\'s exact inputs (nothing was built), and not for a cache hit restoring such a record', () => {
    const id = `sha256:${'ab'.repeat(32)}`;
    write('dist/same/docker-build.json', { steps: { cached: 2, total: 2 }, imageId: id, reused: 'engine' });
    const info = (project: string): BuildTaskInfo => ({ taskId: `${project}:docker-build`, project, metadataFile: 'dist/same/docker-build.json', parents: [] });
    const [built, hit] = summaryRows({ 'same:docker-build': { status: 'success' }, 'hit:docker-build': { status: 'local-cache' } }, [info('same'), info('hit')], root);
    expect(built).toMatchObject({ outcome: 'built', note: 'engine: same inputs as abababababab', steps: { cached: 2, total: 2 } });
    expect(hit.note).toBeUndefined();
  });
});
