/**
 * Lines of at most `width` characters holding all of `text`: broken after spaces, and after `/`,
 * `:` and `,` (references and paths), a word longer than a line broken where it must. Nothing is
 * dropped: a CI log has no terminal to widen, and a cut reason or step is lost for good.
 */
export function wrapText(text: string, width: number): string[] {
  const w = Math.max(1, width);
  if (text.length <= w) return [text];
  const lines: string[] = [];
  let line = '';
  for (const token of text.split(/(?<=[\s/:,])/)) {
    if (line.length + token.length <= w) {
      line += token;
      continue;
    }
    if (line.trimEnd()) lines.push(line.trimEnd());
    line = '';
    let rest = token;
    while (rest.length > w) {
      lines.push(rest.slice(0, w));
      rest = rest.slice(w);
    }
    line = rest.trimStart() === '' ? '' : rest;
  }
  if (line.trimEnd()) lines.push(line.trimEnd());
  return lines.length ? lines : [''];
}
