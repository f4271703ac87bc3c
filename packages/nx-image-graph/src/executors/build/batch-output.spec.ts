import { batchOutputIsLive, livePrefix, prefixLines, type TaskOutput } from './batch-output';

describe('batch output', () => {
  it('is shown live where Nx streams a batch (TUI, --batch, stream styles) and not under the static styles', () => {
    expect(batchOutputIsLive({ NX_STREAM_OUTPUT: 'true' })).toBe(true);
    expect(batchOutputIsLive({ NX_TUI: 'true' })).toBe(true);
    expect(batchOutputIsLive({ NX_TUI: 'false' })).toBe(false);
    expect(batchOutputIsLive({})).toBe(false);
  });

  it('prefixes each complete line with its project, keeping a partial line for the next write', () => {
    const out: TaskOutput = { chunks: [], prefix: livePrefix('base', {}), partial: '' };
    expect(prefixLines(out, '#1 [1/2] FROM busy')).toBe('');
    expect(prefixLines(out, 'box:1.36\n#2 RUN echo\nhalf')).toBe('base: #1 [1/2] FROM busybox:1.36\nbase: #2 RUN echo\n');
    expect(out.partial).toBe('half');
    expect(prefixLines(out, ' done\n')).toBe('base: half done\n');
  });

  it('leaves lines bare when the output style asks for no prefixes', () => {
    expect(livePrefix('base', { NX_PREFIX_OUTPUT: 'false' })).toBe('');
    expect(livePrefix('base', { NX_PREFIX_OUTPUT: 'true' })).toBe('base: ');
  });
});
