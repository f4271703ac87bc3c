// tools/bench/RESULTS.md holds one section per benchmark; a run replaces only its own section.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './common.mjs';

export const RESULTS_FILE = join(REPO_ROOT, 'tools', 'bench', 'RESULTS.md');

const HEADER = `# Benchmark results

Written by the scripts in \`tools/bench/\` (each run replaces its own section). Timings on a small
machine are noisy: every comparison is made side by side in one run, interleaved, over several
repetitions, and given as the median with the spread (min–max); ratios and differences are paired
(same repetition).
`;

const ORDER = ['graph-inference', 'build-overhead'];

export function writeResultsSection(name, body) {
  const text = existsSync(RESULTS_FILE) ? readFileSync(RESULTS_FILE, 'utf8') : HEADER;
  const sections = new Map();
  for (const m of text.matchAll(/<!-- bench:([\w-]+):start -->\n([\s\S]*?)\n<!-- bench:\1:end -->/g)) sections.set(m[1], m[2]);
  sections.set(name, body.trim());
  const names = [...ORDER.filter((n) => sections.has(n)), ...[...sections.keys()].filter((n) => !ORDER.includes(n))];
  // What is written above the first section (the header, a hand-written summary of the runs) stays.
  const first = text.indexOf('<!-- bench:');
  const preamble = first >= 0 ? `${text.slice(0, first).trimEnd()}\n` : HEADER;
  const out = [preamble, ...names.map((n) => `<!-- bench:${n}:start -->\n${sections.get(n)}\n<!-- bench:${n}:end -->\n`)].join('\n');
  writeFileSync(RESULTS_FILE, out);
}
