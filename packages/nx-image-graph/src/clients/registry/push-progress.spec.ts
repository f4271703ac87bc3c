import { PushProgress } from './push-progress';

const REF = '127.0.0.1:5000/acme/x:latest';
const A = 'a57ec3e6eae0';
const B = '7154ba3c2b3b';
const BASE = 'e0795038319e';

/** A push over a fake clock: each message comes at the time given beside it. */
function run(messages: [number, object][], intervalMs = 3000) {
  const lines: string[] = [];
  let t = 0;
  const p = new PushProgress(REF, (l) => lines.push(l), { intervalMs, now: () => t });
  for (const [at, m] of messages) {
    t = at;
    p.message(m);
  }
  return { lines, end: (at: number) => ((t = at), p.end(), lines) };
}

describe('PushProgress', () => {
  const preparing = [A, B, BASE].map((id) => [0, { status: 'Preparing', progressDetail: {}, id }] as [number, object]);

  it('prints layers and bytes done every interval while a push runs, then a closing line', () => {
    const { end } = run([
      ...preparing,
      [100, { status: 'Mounted from acme/base', progressDetail: {}, id: BASE }],
      [200, { status: 'Pushing', progressDetail: { current: 500_000, total: 3_000_000 }, id: A }],
      [300, { status: 'Pushing', progressDetail: { current: 1_000_000, total: 1_200_000_000 }, id: B }],
      [900, { status: 'Pushing', progressDetail: { current: 3_000_000, total: 3_000_000 }, id: A }],
      [1000, { status: 'Pushed', progressDetail: {}, id: A }],
      [3100, { status: 'Pushing', progressDetail: { current: 120_000_000, total: 1_200_000_000 }, id: B }],
      [4000, { status: 'Pushing', progressDetail: { current: 200_000_000, total: 1_200_000_000 }, id: B }],
      [6200, { status: 'Pushing', progressDetail: { current: 1_200_002_048, total: 1_200_000_000 }, id: B }],
      [6300, { status: 'Pushed', progressDetail: {}, id: B }],
    ]);
    expect(end(6400)).toEqual([
      `  push ${REF}: 2/3 layers, 123.0 MB of 1.20 GB`,
      `  push ${REF}: 2/3 layers, 1.20 GB of 1.20 GB`,
      `  push ${REF}: done, 3 layers, 1.20 GB uploaded, 6.4s`,
    ]);
  });

  it('prints only the closing line for a push quicker than the interval', () => {
    const { end } = run([
      ...preparing,
      ...[A, B, BASE].map((id) => [10, { status: 'Layer already exists', progressDetail: {}, id }] as [number, object]),
    ]);
    expect(end(50)).toEqual([`  push ${REF}: done, 3 layers, 0 kB uploaded, 0.1s`]);
  });

  it('ignores messages that name no layer', () => {
    const { lines } = run([
      [5000, { status: 'The push refers to repository [127.0.0.1:5000/acme/x]' }],
      [9000, { status: 'latest: digest: sha256:0 size: 951' }],
    ]);
    expect(lines).toEqual([]);
  });
});
