import { docker, removeImages } from './support/engine';
import { RunResult, TestWorkspace } from './support/test-workspace';

const OWNER = `e2elay${process.pid}`;
const MiB = 1024 * 1024;

interface Row {
  image: string;
  imageId: string;
  parents: { image: string; imageId: string; inEngine: boolean; current: boolean }[];
  sizeBytes: number;
  ownBytes: number;
  sharedWithParentsBytes: number;
  exact: boolean;
  layers: { chainId: string; sizeBytes: number; own: boolean }[];
}
interface Report {
  images: Row[];
  totals: { images: number; sumOfSizesBytes: number; uniqueBytes: number; savedBytes: number; savedPercent: number; exact: boolean };
  notBuilt: string[];
}

// A base adding 5 MiB to busybox, two children adding 1 MiB each, and one image left unbuilt.
const child = (name: string) => `FROM ${OWNER}/base:latest\nRUN dd if=/dev/urandom of=/${name} bs=1M count=1 2>/dev/null\n`;
const files: Record<string, string> = {
  'images/base/Dockerfile': 'FROM busybox:1.36\nRUN dd if=/dev/urandom of=/blob bs=1M count=5 2>/dev/null\n',
  'images/base/image.json': JSON.stringify({ repository: `${OWNER}/base` }),
  'images/child-a/Dockerfile': child('a'),
  'images/child-a/image.json': JSON.stringify({ repository: `${OWNER}/child-a` }),
  'images/child-b/Dockerfile': child('b'),
  'images/child-b/image.json': JSON.stringify({ repository: `${OWNER}/child-b` }),
  'images/unbuilt/Dockerfile': child('u'),
  'images/unbuilt/image.json': JSON.stringify({ repository: `${OWNER}/unbuilt` }),
  // No target is inferred for the report yet: a root project runs the executor, after every image build but the one left out.
  'project.json': JSON.stringify(
    {
      name: 'workspace',
      targets: {
        'docker-layers': {
          executor: 'nx-image-graph:layer-report',
          dependsOn: [{ projects: ['*', '!unbuilt'], target: 'docker-build' }],
          options: {},
        },
      },
    },
    null,
    2,
  ),
};

describe('layer report against a real engine', () => {
  let ws: TestWorkspace;
  let build: RunResult;
  let run: RunResult;
  let report: Report;
  const row = (name: string, r: Report = report) => r.images.find((x) => x.image === name)!;
  beforeAll(() => {
    ws = TestWorkspace.create('layers', files);
    build = ws.nx(['run-many', '-t', 'docker-build', '--exclude=unbuilt,workspace', '--outputStyle=stream']);
    run = ws.nx(['run', 'workspace:docker-layers', '--outputStyle=stream']);
    report = JSON.parse(ws.read('dist/image-layers.json'));
  });
  afterAll(async () => {
    ws?.remove();
    await removeImages(`${OWNER}/`);
  });

  it('builds the images and reports every built one', () => {
    expect(build.code).toBe(0);
    expect(run.code).toBe(0);
    // Its dependsOn found the builds done: nothing was built again.
    expect(run.output).toMatch(/base:docker-build.*\[local cache\]|existing outputs match the cache/);
    expect(run.output).not.toContain('nx run unbuilt:docker-build');
    expect(report.images.map((r) => r.image)).toEqual(['base', 'child-a', 'child-b']);
    expect(report.totals.exact).toBe(true);
  });

  it("gives each image the engine's size, and each child the whole base as shared and its 1 MiB as own", async () => {
    const base = row('base');
    const busybox = (await docker.getImage('busybox:1.36').inspect()).Size;
    for (const r of report.images) expect(r.sizeBytes).toBe((await docker.getImage(r.imageId).inspect()).Size);
    expect(Math.abs(base.sizeBytes - busybox - 5 * MiB)).toBeLessThan(8 * 1024);
    expect(base.sharedWithParentsBytes).toBe(0);
    for (const name of ['child-a', 'child-b']) {
      const r = row(name);
      expect(r.parents).toEqual([{ image: 'base', imageId: base.imageId, inEngine: true, current: true }]);
      expect(r.sharedWithParentsBytes).toBe(base.sizeBytes);
      expect(Math.abs(r.ownBytes - MiB)).toBeLessThan(8 * 1024);
      expect(r.ownBytes).toBe(r.sizeBytes - base.sizeBytes);
      // The layer sizes add up to the image and the child's own layer is exactly the one above the base's.
      expect(r.layers.reduce((a, l) => a + l.sizeBytes, 0)).toBe(r.sizeBytes);
      expect(r.layers.filter((l) => l.own).map((l) => l.chainId)).toEqual(r.layers.slice(base.layers.length).map((l) => l.chainId));
    }
  });

  it('counts the base once: unique bytes = base + both children, below the sum of sizes', () => {
    const [base, a, b] = ['base', 'child-a', 'child-b'].map((n) => row(n));
    expect(report.totals.uniqueBytes).toBe(base.sizeBytes + a.ownBytes + b.ownBytes);
    expect(report.totals.sumOfSizesBytes).toBe(base.sizeBytes + a.sizeBytes + b.sizeBytes);
    expect(report.totals.sumOfSizesBytes).toBeGreaterThan(report.totals.uniqueBytes);
    expect(report.totals.savedBytes).toBe(2 * base.sizeBytes);
  });

  it('prints the table and the totals, and names the image not built yet with the command that builds it', () => {
    expect(run.output).toMatch(/image\s+parent\s+size\s+own\s+shared with parent/);
    expect(run.output).toMatch(/child-a\s+base\s+8\.\d MB\s+1\.0 MB\s+7\.\d MB\s+1\/3$/m);
    expect(run.output).toMatch(/unique layers\s+9\.\d MB/);
    expect(run.output).toMatch(/saved by sharing\s+14\.\d MB\s+\(\d\d\.\d%\)/);
    expect(report.notBuilt).toEqual(['unbuilt:docker-build']);
    expect(run.output).toContain(
      '1 of 4 image builds not reported: no build metadata yet (unbuilt). Build it with `nx run-many -t docker-build -p unbuilt`',
    );
  });

  it('reports a chosen image with its ancestors, written where asked', () => {
    const r = ws.nx([
      'run',
      'workspace:docker-layers',
      '--projects=child-a',
      '--ancestors',
      '--outputFile=dist/child-a-layers.json',
      '--outputStyle=stream',
    ]);
    expect(r.code).toBe(0);
    const only: Report = JSON.parse(ws.read('dist/child-a-layers.json'));
    expect(only.images.map((x) => x.image)).toEqual(['base', 'child-a']);
    expect(only.totals.uniqueBytes).toBe(row('base').sizeBytes + row('child-a').ownBytes);
    expect(only.notBuilt).toEqual([]);
  });

  it("run-many -t docker-layers: each image's report beside its metadata, with its ancestors, and one report of the run counting every layer once", () => {
    const r = ws.nx(['run-many', '-t', 'docker-layers', '--projects=base,child-a,child-b', '--outputStyle=stream']);
    expect(r.code).toBe(0);
    const own = (name: string): Report => JSON.parse(ws.read(`dist/image-builds/images/${name}/docker-layers.json`));
    expect(own('base').images.map((x) => x.image)).toEqual(['base']);
    expect(own('child-a').images.map((x) => x.image)).toEqual(['base', 'child-a']);
    expect(own('child-b').images.map((x) => x.image)).toEqual(['base', 'child-b']);
    expect(own('child-a').totals.savedBytes).toBe(row('base').sizeBytes);
    const combined: Report = JSON.parse(ws.read('dist/image-layers.json'));
    expect(combined.images.map((x) => x.image).sort()).toEqual(['base', 'child-a', 'child-b']);
    expect(combined.totals.uniqueBytes).toBe(report.totals.uniqueBytes);
    expect(combined.totals.savedBytes).toBe(2 * row('base').sizeBytes);
    expect(r.output).toMatch(/Layers of this run: 3 images, .* written to dist\/image-layers\.json/);
  });

  it('fails naming a selector that matches no image build', () => {
    const r = ws.nx(['run', 'workspace:docker-layers', '--projects=nope', '--outputStyle=stream']);
    expect(r.code).not.toBe(0);
    expect(r.output).toContain('no image build matches "nope"');
  });
});
