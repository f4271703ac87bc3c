/**
 * Dockerfile text for tests: `dockerfile(String.raw`...`)` drops the first newline and the common
 * indentation, so examples read as written and line 1 is the first line inside the backticks.
 */
export function dockerfile(text: string): string {
  const lines = text
    .replace(/^\r?\n/, '')
    .replace(/\n[ \t]*$/, '\n')
    .split('\n');
  const indents = lines.filter((l) => l.trim() !== '').map((l) => /^[ \t]*/.exec(l)![0].length);
  const cut = indents.length ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(cut)).join('\n');
}
