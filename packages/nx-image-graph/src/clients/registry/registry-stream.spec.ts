import { Readable } from 'node:stream';
import { layerCounts } from './layer-counts';
import { readRegistryStream } from './registry-stream';

/**
 * The engine's push stream of one 3-layer image under two tags to an empty repository, recorded
 * (names shortened, most "Pushing" messages left out): the first tag uploads 2 layers and mounts
 * the base's; the second finds all three there.
 */
const TAG_ONE = [
  { status: 'The push refers to repository [127.0.0.1:5000/acme/x]' },
  { status: 'Preparing', progressDetail: {}, id: '7154ba3c2b3b' },
  { status: 'Preparing', progressDetail: {}, id: 'a57ec3e6eae0' },
  { status: 'Preparing', progressDetail: {}, id: 'e0795038319e' },
  { status: 'Mounted from acme/base', progressDetail: {}, id: 'e0795038319e' },
  {
    status: 'Pushing',
    progressDetail: { current: 1081856, total: 200000000 },
    progress: '[\u003e                                                  ]  1.082MB/200MB',
    id: '7154ba3c2b3b',
  },
  {
    status: 'Pushing',
    progressDetail: { current: 2195968, total: 200000000 },
    progress: '[\u003e                                                  ]  2.196MB/200MB',
    id: '7154ba3c2b3b',
  },
  { status: 'Pushing', progressDetail: { current: 3000000, total: 3000000 }, id: 'a57ec3e6eae0' },
  { status: 'Pushed', progressDetail: {}, id: 'a57ec3e6eae0' },
  {
    status: 'Pushing',
    progressDetail: { current: 14451200, total: 200000000 },
    progress: '[===\u003e                                               ]  14.45MB/200MB',
    id: '7154ba3c2b3b',
  },
  {
    status: 'Pushing',
    progressDetail: { current: 50102784, total: 200000000 },
    progress: '[============\u003e                                      ]   50.1MB/200MB',
    id: '7154ba3c2b3b',
  },
  {
    status: 'Pushing',
    progressDetail: { current: 77398528, total: 200000000 },
    progress: '[===================\u003e                               ]   77.4MB/200MB',
    id: '7154ba3c2b3b',
  },
  {
    status: 'Pushing',
    progressDetail: { current: 105808384, total: 200000000 },
    progress: '[==========================\u003e                        ]  105.8MB/200MB',
    id: '7154ba3c2b3b',
  },
  {
    status: 'Pushing',
    progressDetail: { current: 137560576, total: 200000000 },
    progress: '[==================================\u003e                ]  137.6MB/200MB',
    id: '7154ba3c2b3b',
  },
  {
    status: 'Pushing',
    progressDetail: { current: 173769216, total: 200000000 },
    progress: '[===========================================\u003e       ]  173.8MB/200MB',
    id: '7154ba3c2b3b',
  },
  {
    status: 'Pushing',
    progressDetail: { current: 200002048, total: 200000000 },
    progress: '[==================================================\u003e]    200MB',
    id: '7154ba3c2b3b',
  },
  { status: 'Pushed', progressDetail: {}, id: '7154ba3c2b3b' },
  { status: 'one: digest: sha256:621b28eff34c0e4e53a6f944acac01d48b0769eb657cf9a00ea8a36a941d929c size: 951' },
  { progressDetail: {}, aux: { Tag: 'one', Digest: 'sha256:621b28eff34c0e4e53a6f944acac01d48b0769eb657cf9a00ea8a36a941d929c', Size: 951 } },
];
const TAG_TWO = [
  { status: 'The push refers to repository [127.0.0.1:5000/acme/x]' },
  { status: 'Preparing', progressDetail: {}, id: '7154ba3c2b3b' },
  { status: 'Preparing', progressDetail: {}, id: 'a57ec3e6eae0' },
  { status: 'Preparing', progressDetail: {}, id: 'e0795038319e' },
  { status: 'Layer already exists', progressDetail: {}, id: 'a57ec3e6eae0' },
  { status: 'Layer already exists', progressDetail: {}, id: 'e0795038319e' },
  { status: 'Layer already exists', progressDetail: {}, id: '7154ba3c2b3b' },
  { status: 'two: digest: sha256:621b28eff34c0e4e53a6f944acac01d48b0769eb657cf9a00ea8a36a941d929c size: 951' },
  { progressDetail: {}, aux: { Tag: 'two', Digest: 'sha256:621b28eff34c0e4e53a6f944acac01d48b0769eb657cf9a00ea8a36a941d929c', Size: 951 } },
];
const DIGEST = 'sha256:621b28eff34c0e4e53a6f944acac01d48b0769eb657cf9a00ea8a36a941d929c';

/** The messages as the engine sends them: \r\n-ended JSON lines, cut anywhere into chunks. */
const stream = (messages: object[]) => {
  const text = messages.map((m) => `${JSON.stringify(m)}\r\n`).join('');
  const chunks: string[] = [];
  for (let i = 0; i < text.length; i += 97) chunks.push(text.slice(i, i + 97));
  return Readable.from(chunks);
};

describe('readRegistryStream on a recorded push', () => {
  it('gives the digest and the layers by id: uploaded, and there already (mounted counts as there)', async () => {
    const one = await readRegistryStream(stream(TAG_ONE));
    expect(one).toEqual({ digest: DIGEST, uploaded: ['a57ec3e6eae0', '7154ba3c2b3b'], existing: ['e0795038319e'], error: undefined });
    const two = await readRegistryStream(stream(TAG_TWO));
    expect(two).toEqual({ digest: DIGEST, uploaded: [], existing: ['a57ec3e6eae0', 'e0795038319e', '7154ba3c2b3b'], error: undefined });
  });

  it('counts the image\'s layers once over its two tags (it said "2 layers uploaded, 4 already there")', async () => {
    const results = [];
    for (const [tag, messages] of [
      ['one', TAG_ONE],
      ['two', TAG_TWO],
    ] as const)
      results.push({ reference: `127.0.0.1:5000/acme/x:${tag}`, ...(await readRegistryStream(stream(messages))) });
    expect(layerCounts(results)).toEqual([{ repository: '127.0.0.1:5000/acme/x', layers: 3, uploaded: 2, existing: 1 }]);
  });

  it('hands each message to onMessage as it comes', async () => {
    const statuses: string[] = [];
    await readRegistryStream(stream(TAG_TWO), (m) => statuses.push(m.status ?? 'aux'));
    expect(statuses).toEqual(TAG_TWO.map((m) => m.status ?? 'aux'));
  });

  it("reports the engine's error", async () => {
    const r = await readRegistryStream(
      stream([
        { status: 'Preparing', id: 'l1' },
        { errorDetail: { message: 'unknown blob' }, error: 'unknown blob' },
      ]),
    );
    expect(r.error).toBe('unknown blob');
  });
});
