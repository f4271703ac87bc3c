/** Output styles under which Nx prints every task's output, successful ones included. */
const SHOWING = new Set(['stream', 'stream-without-prefixes', 'static']);

/**
 * The closing line of a dry run. The plan is in each task's `[dry run]` lines; Nx prints a
 * successful task's output only in some output styles (a CI log gets "Output of N successful tasks
 * were not shown"), so the line says how to see them unless the run asked for a style that shows them.
 */
export function dryRunClosing(builds: number, argv: string[]): string {
  const head = `Images: dry run, ${builds} image build${builds === 1 ? '' : 's'} planned, nothing built`;
  return shownByNx(argv)
    ? `${head} (see each task's [dry run] lines above)`
    : `${head}. Each task printed its [dry run] lines; where Nx did not show them, run again with --output-style=stream`;
}

function shownByNx(argv: string[]): boolean {
  if (argv.includes('--verbose')) return true;
  for (let i = 0; i < argv.length; i++) {
    const m = /^--(?:output-style|outputStyle)(?:=(.*))?$/.exec(argv[i]);
    if (m) return SHOWING.has(m[1] ?? argv[i + 1] ?? '');
  }
  return false;
}
