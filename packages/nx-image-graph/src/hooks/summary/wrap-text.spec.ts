import { wrapText } from './wrap-text';

describe('wrapText', () => {
  it('keeps a short text on one line', () => {
    expect(wrapText('because base failed', 40)).toEqual(['because base failed']);
  });

  it('breaks at spaces, and in references after / and :, dropping nothing', () => {
    const text = 'at [2/6] RUN apt-get update && apt-get install -y curl (exit code 100)';
    const lines = wrapText(text, 24);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(24);
    expect(lines.join(' ').replace(/\s+/g, ' ')).toBe(text);
    expect(wrapText('registry.example.com/acme/arr-trainer:latest', 26)).toEqual(['registry.example.com/acme/', 'arr-trainer:latest']);
  });

  it('breaks a word longer than a line where it must', () => {
    expect(wrapText('x'.repeat(25), 10)).toEqual(['x'.repeat(10), 'x'.repeat(10), 'x'.repeat(5)]);
  });
});
