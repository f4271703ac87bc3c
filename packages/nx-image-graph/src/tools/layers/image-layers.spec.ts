import type Docker from 'dockerode';
import { Readable } from 'node:stream';
import { EMPTY_DIFF_ID } from './align-steps';
import type { HistoryEntry } from './history-steps';
import { LayerReader } from './image-layers';

interface FakeImage {
  id: string;
  diffIds: string[];
  /** Oldest first. */
  history: Partial<HistoryEntry>[];
  config?: object;
}

/** An engine holding the given images: inspect, history (newest first, as the API gives it) and save. */
function engine(images: FakeImage[]) {
  const calls = { save: 0 };
  const byId = new Map(images.map((i) => [i.id, i]));
  const docker = {
    getImage: (id: string) => {
      const image = byId.get(id);
      const missing = () => Promise.reject(Object.assign(new Error('no such image'), { statusCode: 404 }));
      return {
        inspect: () =>
          image
            ? Promise.resolve({ Id: id, Size: image.history.reduce((a, h) => a + (h.Size ?? 0), 0), RootFS: { Layers: image.diffIds } })
            : missing(),
        history: () =>
          image
            ? Promise.resolve(image.history.map((h, i) => ({ Id: '<missing>', Created: i, Comment: '', Size: 0, ...h })).reverse())
            : missing(),
        get: () => {
          calls.save++;
          return Promise.resolve(Readable.from([tarOf(`${id.slice(7)}.json`, JSON.stringify(image?.config ?? {}))]));
        },
      };
    },
  } as unknown as Docker;
  return { docker, calls };
}

function tarOf(name: string, text: string): Buffer {
  const body = Buffer.from(text);
  const header = Buffer.alloc(512);
  header.write(name, 0);
  header.write(body.length.toString(8).padStart(11, '0') + '\0', 124);
  header.write('0', 156);
  return Buffer.concat([header, body, Buffer.alloc((512 - (body.length % 512)) % 512), Buffer.alloc(1024)]);
}

const d = (n: number) => `sha256:${n.toString(16).padStart(64, '0')}`;
const id = (n: number) => `sha256:${(1000 + n).toString(16).padStart(64, 'f')}`;
const bk = (CreatedBy: string, Size = 0): Partial<HistoryEntry> => ({ CreatedBy, Size, Comment: 'buildkit.dockerfile.v0' });

// acme/base:cpu and acme/asr:cpu as Docker 20.10 reports them (BuildKit, on a busybox imported with `docker import`).
const busybox: Partial<HistoryEntry> = { CreatedBy: '', Size: 1984287, Comment: 'Imported from -' };
const baseSteps = [
  busybox,
  bk('ENV RUNTIME_HOME=/opt/runtime'),
  bk('COPY runtime/ /opt/runtime/ # buildkit', 1339),
  bk('RUN /bin/sh -c chmod 0755 x # buildkit', 1564),
  bk('WORKDIR /app'),
  bk('CMD ["run-stage"]'),
];
const base: FakeImage = { id: id(1), diffIds: [d(1), d(2), d(3), EMPTY_DIFF_ID], history: baseSteps };
const asr: FakeImage = {
  id: id(2),
  diffIds: [...base.diffIds, d(5), d(6), d(7), d(8), d(9)],
  history: [
    ...baseSteps,
    bk('ARG MLCORE_VERSION=0.9.3'),
    bk('ENV ML_HOME=/opt/ml'),
    bk('COPY mlcore/ /opt/ml/ # buildkit', 2101),
    bk('RUN |1 MLCORE_VERSION=0.9.3 /bin/sh -c cd /opt/ml/share # buildkit', 176),
    bk('ENV STAGE=asr'),
    bk('COPY app/ /app/ # buildkit', 1226),
    bk('RUN /bin/sh -c chmod 0755 /app/main.sh # buildkit', 1290),
    bk('RUN /bin/sh -c if [ -f /usr/local/cuda/version.json ]; then # buildkit', 0),
    bk('USER pipeline'),
  ],
};
// A classic build with a step of size 0 after the last layer with bytes: `WORKDIR /` may have made the last layer.
const classicSteps: Partial<HistoryEntry>[] = [
  busybox,
  { CreatedBy: '/bin/sh -c #(nop) WORKDIR /app' },
  { CreatedBy: '/bin/sh -c dd if=/dev/urandom of=/blob', Size: 10240 },
  { CreatedBy: '/bin/sh -c #(nop) WORKDIR /' },
  { CreatedBy: '/bin/sh -c #(nop)  CMD ["sh"]' },
];
const classic: FakeImage = {
  id: id(3),
  diffIds: [d(1), d(10), d(11)],
  history: classicSteps,
  config: { history: [{}, {}, {}, { empty_layer: true }, { empty_layer: true }] },
};

describe('LayerReader', () => {
  it("gives each layer its step's size, the empty WORKDIR layer 0 (acme/base:cpu)", async () => {
    const l = await new LayerReader(engine([base]).docker).layersOf(base.id);
    expect(l).toMatchObject({ imageId: base.id, size: 1987190, exact: true, sources: ['history'] });
    expect(l!.layers.map((x) => x.size)).toEqual([1984287, 1339, 1564, 0]);
    expect(l!.layers[0].chainId).toBe(d(1));
  });

  it("aligns only a child's own steps to its own layers, on top of its parent's (acme/asr:cpu)", async () => {
    const { docker } = engine([base, asr]);
    const l = await new LayerReader(docker, { parentsOf: new Map([[asr.id, [base.id]]]) }).layersOf(asr.id);
    expect(l!.layers.map((x) => x.size)).toEqual([1984287, 1339, 1564, 0, 2101, 176, 1226, 1290, 0]);
    expect(l).toMatchObject({ size: 1991983, exact: true });
  });

  it("does not wait on itself when an image is listed as its own parent, or two as each other's", async () => {
    const { docker } = engine([base, asr]);
    const loops = new Map([
      [base.id, [base.id, asr.id]],
      [asr.id, [asr.id, base.id]],
    ]);
    const reader = new LayerReader(docker, { parentsOf: loops });
    expect((await reader.layersOf(asr.id))!.layers.map((x) => x.size)).toEqual([1984287, 1339, 1564, 0, 2101, 176, 1226, 1290, 0]);
    expect((await reader.layersOf(base.id))!.exact).toBe(true);
  });

  it('is undefined for an image the engine does not hold, and ignores a parent it does not hold', async () => {
    const { docker } = engine([base]);
    expect(await new LayerReader(docker).layersOf(id(9))).toBeUndefined();
    expect((await new LayerReader(docker, { parentsOf: new Map([[base.id, [id(9)]]]) }).layersOf(base.id))!.exact).toBe(true);
  });

  it('settles an open alignment by intermediate images (classic builds keep one per step)', async () => {
    // The image after `WORKDIR /app` has two layers: that step made one, so `WORKDIR /` made none.
    const steps = classicSteps.map((h, i) => ({ ...h, Id: i === 1 ? id(4) : '<missing>' }));
    const afterWorkdir: FakeImage = { id: id(4), diffIds: classic.diffIds.slice(0, 2), history: classicSteps.slice(0, 2) };
    const { docker, calls } = engine([{ ...classic, history: steps }, afterWorkdir]);
    const l = await new LayerReader(docker).layersOf(classic.id);
    expect(l).toMatchObject({ exact: true, sources: ['intermediate images'] });
    expect(l!.layers.map((x) => x.size)).toEqual([1984287, 0, 10240]);
    expect(calls.save).toBe(0);
  });

  it('estimates when nothing settles it, and reads docker save only when asked', async () => {
    const { docker, calls } = engine([classic]);
    expect(await new LayerReader(docker).layersOf(classic.id)).toMatchObject({ exact: false, sources: ['estimate'] });
    expect(calls.save).toBe(0);
    const saved = await new LayerReader(docker, { resolveWithSave: true }).layersOf(classic.id);
    expect(saved).toMatchObject({ exact: true, sources: ['docker save'] });
    expect(saved!.layers.map((x) => x.size)).toEqual([1984287, 0, 10240]);
    expect(calls.save).toBe(1);
  });

  it("uses BuildKit's rules for BuildKit steps of size 0", async () => {
    // Either `WORKDIR /` or `WORKDIR /app` made the third layer; BuildKit makes none for `/`.
    const img: FakeImage = {
      id: id(5),
      diffIds: [d(1), d(20), d(21)],
      history: [busybox, bk('WORKDIR /'), bk('RUN x # buildkit', 7), bk('WORKDIR /app')],
    };
    const l = await new LayerReader(engine([img]).docker).layersOf(img.id);
    expect(l).toMatchObject({ exact: true, sources: ['buildkit rules'] });
    expect(l!.layers.map((x) => x.size)).toEqual([1984287, 7, 0]);
  });

  it('puts the bytes on the top layer, inexact, when the history does not describe the layers', async () => {
    const img: FakeImage = { id: id(6), diffIds: [d(1), d(30)], history: [{ CreatedBy: 'squashed', Size: 5 }] };
    const l = await new LayerReader(engine([img]).docker).layersOf(img.id);
    expect(l).toMatchObject({ exact: false, size: 5 });
    expect(l!.layers.map((x) => x.size)).toEqual([0, 5]);
  });
});
