// Summarises a V8 .cpuprofile (from `node --cpu-prof`): self time by package / plugin module and
// by function, so a benchmark can say where the time goes.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Where a script belongs: `node_modules/<pkg>` (the plugin's own dist by module directory), node internals, or other. */
function bucketOf(url) {
  if (!url) return 'native bindings (fs, …)';
  const plugin = /node_modules\/nx-image-graph\/dist\/(.+)$/.exec(url);
  if (plugin) return `nx-image-graph/${plugin[1]}`;
  const m = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/g);
  if (m) return m[m.length - 1].replace('node_modules/', '');
  if (url.startsWith('node:')) return 'node internals';
  return url
    .replace(/^file:\/\//, '')
    .split('/')
    .slice(-2)
    .join('/');
}

const sources = new Map();
/** The source line of an anonymous function, shortened: says which closure it is. */
function snippet(url, line) {
  try {
    if (!sources.has(url)) sources.set(url, readFileSync(fileURLToPath(url), 'utf8').split('\n'));
    const text = sources.get(url)[line]?.trim() ?? '';
    return text.length > 60 ? `${text.slice(0, 57)}...` : text;
  } catch {
    return '?';
  }
}

export function summariseProfile(file, top = 12) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map();
  const deltas = profile.timeDeltas;
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    selfUs.set(id, (selfUs.get(id) ?? 0) + (deltas[i] ?? 0));
  }
  const byBucket = new Map();
  const byFunction = new Map();
  let total = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    const cf = node.callFrame;
    // `dispatch` without a script is the in-process inspector answering Profiler.stop: not the code measured.
    const profiler = cf.functionName === 'dispatch' && !cf.url;
    const bucket =
      cf.functionName === '(idle)' || profiler
        ? '(idle)'
        : cf.functionName === '(garbage collector)'
          ? '(garbage collector)'
          : bucketOf(cf.url);
    if (bucket === '(idle)') continue;
    total += us;
    byBucket.set(bucket, (byBucket.get(bucket) ?? 0) + us);
    const fn = `${cf.functionName || '(anonymous)'} ${bucket}${cf.url ? `:${cf.lineNumber + 1}` : ''}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
  }
  // Inclusive time of the plugin's own functions (and of module loading), each sample counted once per function.
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const inclusive = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const seen = new Set();
    for (let id = profile.samples[i]; id !== undefined; id = parent.get(id)) {
      const cf = byId.get(id).callFrame;
      const inPlugin = /node_modules\/nx-image-graph\/dist\//.test(cf.url);
      const isLoad = cf.functionName === 'Module._load' || cf.functionName === 'compileFunction' || cf.functionName === 'wrapSafe';
      if (!inPlugin && !isLoad) continue;
      const key = isLoad
        ? `${cf.functionName} (module loading)`
        : `${cf.functionName || `(anonymous: ${snippet(cf.url, cf.lineNumber)})`} ${bucketOf(cf.url)}:${cf.lineNumber + 1}`;
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + (deltas[i] ?? 0));
    }
  }
  const sorted = (m) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, us]) => ({ name: k, ms: us / 1000, share: us / total }));
  return { totalMs: total / 1000, buckets: sorted(byBucket), functions: sorted(byFunction), inclusive: sorted(inclusive) };
}

export function profileMarkdown(s) {
  const row = (e) => `| ${e.name.replace(/\|/g, '\\|')} | ${e.ms.toFixed(0)} | ${(e.share * 100).toFixed(0)}% |`;
  return [
    `Sampled CPU time (idle and the profiler itself excluded): ${s.totalMs.toFixed(0)} ms.`,
    '',
    '| self time by package / plugin module | ms | share |',
    '| --- | --- | --- |',
    ...s.buckets.map(row),
    '',
    '| self time by function | ms | share |',
    '| --- | --- | --- |',
    ...s.functions.map(row),
    '',
    '| inclusive time (plugin functions, module loading) | ms | share |',
    '| --- | --- | --- |',
    ...s.inclusive.map(row),
  ].join('\n');
}
