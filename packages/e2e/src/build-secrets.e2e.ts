import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { docker, removeImages } from './support/engine';
import { E2E_TMP } from './support/paths';
import { RunResult, TestWorkspace } from './support/test-workspace';

/**
 * Build secrets through the plugin's own BuildKit session, against the real engine: from the
 * environment and from a file (manifest), from the command line, per variant; then every place a
 * value could leak is searched for it: the images (docker save and history), dist/, .nx (the Nx
 * cache and workspace data) and everything nx printed.
 */
const OWNER = `e2esec${process.pid}`;
const random = (prefix: string) => `${prefix}${randomBytes(12).toString('hex')}`;
const sha = (v: string) => createHash('sha256').update(v).digest('hex');

const HF_TOKEN = random('hf_e2e_');
const PIP_PASSWORD = random('pippass_');
const PIP_CONF = `[global]\nindex-url = https://pipuser:${PIP_PASSWORD}@pypi.example.invalid/simple\n`;
const CLI_TOKEN = random('cli_');
const TOK_CPU = random('cpu_');
const TOK_GPU = random('gpu_');
const HASHED_A = random('hashed_a_');
const HASHED_B = random('hashed_b_');
const ARG_TOKEN = random('argtok_');
const VALUES = { HF_TOKEN, PIP_PASSWORD, CLI_TOKEN, TOK_CPU, TOK_GPU, HASHED_A, HASHED_B };

const sourceDir = mkdtempSync(join((mkdirSync(E2E_TMP, { recursive: true }), E2E_TMP), 'secret-sources-'));
const pipConfPath = join(sourceDir, 'pip.conf');
writeFileSync(pipConfPath, PIP_CONF);

const shaOf = (file: string) => `"$(sha256sum < ${file} | cut -d' ' -f1)"`;
const files: Record<string, string> = {
  // The checks compare digests: the Dockerfile itself must not hold the value it checks.
  'images/secrets/Dockerfile': [
    'FROM busybox:1.36',
    'RUN --mount=type=secret,id=hf_token,required=true \\',
    '    --mount=type=secret,id=pipconf,target=/root/.config/pip/pip.conf,required=true \\',
    '    --mount=type=secret,id=cli_token,required=true \\',
    `    test ${shaOf('/run/secrets/hf_token')} = "${sha(HF_TOKEN)}" && \\`,
    `    test ${shaOf('/root/.config/pip/pip.conf')} = "${sha(PIP_CONF)}" && \\`,
    `    test ${shaOf('/run/secrets/cli_token')} = "${sha(CLI_TOKEN)}" && \\`,
    '    echo secrets-checked > /checked.txt',
    '',
  ].join('\n'),
  'images/secrets/image.json': JSON.stringify({
    repository: `${OWNER}/secrets`,
    secrets: { hf_token: { env: 'HF_TOKEN' }, pipconf: { file: pipConfPath } },
  }),
  // A variant's secret of the same id replaces the image's.
  'images/variants/Dockerfile': `FROM busybox:1.36\nARG EXPECT\nRUN --mount=type=secret,id=tok,required=true test ${shaOf('/run/secrets/tok')} = "$EXPECT"\n`,
  'images/variants/image.json': JSON.stringify({
    repository: `${OWNER}/variants`,
    secrets: { tok: { env: 'TOK_CPU' } },
    variants: { cpu: { args: { EXPECT: sha(TOK_CPU) } }, gpu: { args: { EXPECT: sha(TOK_GPU) }, secrets: { tok: { env: 'TOK_GPU' } } } },
  }),
  'images/needs-secret/Dockerfile': 'FROM busybox:1.36\nRUN echo first\nRUN --mount=type=secret,id=missing_one,required=true true\n',
  'images/needs-secret/image.json': JSON.stringify({ repository: `${OWNER}/needs-secret` }),
  'images/declared-absent/Dockerfile': 'FROM busybox:1.36\nRUN --mount=type=secret,id=gone true\n',
  'images/declared-absent/image.json': JSON.stringify({
    repository: `${OWNER}/declared-absent`,
    secrets: { gone: { env: 'E2E_SECRET_NOT_SET' } },
  }),
  'images/hashed/Dockerfile': 'FROM busybox:1.36\nRUN --mount=type=secret,id=t,required=true echo hashed > /h\n',
  'images/hashed/image.json': JSON.stringify({ repository: `${OWNER}/hashed`, secrets: { t: { env: 'HASHED_TOKEN', hashValue: true } } }),
  'images/plain/Dockerfile': 'FROM busybox:1.36\nRUN --mount=type=secret,id=t,required=true echo plain > /p\n',
  'images/plain/image.json': JSON.stringify({ repository: `${OWNER}/plain`, secrets: { t: { env: 'HASHED_TOKEN' } } }),
  'images/argy/Dockerfile': 'FROM busybox:1.36\nARG API_TOKEN\nARG HF_TOKEN\nRUN echo "args given: ${HF_TOKEN:+yes}" > /args\n',
  'images/argy/image.json': JSON.stringify({ repository: `${OWNER}/argy`, args: { API_TOKEN: 'manifest-visible-value' } }),
};

type Row = { image: string; outcome: string };
const rows = (ws: TestWorkspace): Record<string, string> =>
  Object.fromEntries((JSON.parse(ws.read('dist/image-run-summary.json')) as { rows: Row[] }).rows.map((r) => [r.image, r.outcome]));

function filesUnder(dir: string): string[] {
  let out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const s = statSync(path, { throwIfNoEntry: false });
    if (s?.isDirectory()) out = out.concat(filesUnder(path));
    else if (s?.isFile()) out.push(path);
  }
  return out;
}

function leaks(haystack: Buffer | string, where: string): string[] {
  const text = Buffer.isBuffer(haystack) ? haystack.toString('latin1') : haystack;
  return Object.entries(VALUES)
    .filter(([, v]) => text.includes(v))
    .map(([k]) => `${k} in ${where}`);
}

describe('build secrets through the BuildKit session', () => {
  let ws: TestWorkspace;
  const outputs: RunResult[] = [];
  const env = { HF_TOKEN, CLI_TOKEN, TOK_CPU, TOK_GPU, HASHED_TOKEN: HASHED_A };
  const run = (args: string[], extra: NodeJS.ProcessEnv = {}) => {
    const r = ws.nx(args, { ...env, ...extra });
    outputs.push(r);
    return r;
  };
  let first: RunResult;

  beforeAll(() => {
    ws = TestWorkspace.create('secrets', files);
    first = run(['run-many', '-t', 'docker-build', '--secret=id=cli_token,env=CLI_TOKEN', '--outputStyle=stream']);
  });
  afterAll(async () => {
    ws?.remove();
    rmSync(sourceDir, { recursive: true, force: true });
    await removeImages(`${OWNER}/`);
  });

  it('gives RUN --mount=type=secret the values from env, file and the command line, and a variant its own', () => {
    const r = rows(ws);
    expect(r).toMatchObject({
      secrets: 'built',
      'variants (cpu)': 'built',
      'variants (gpu)': 'built',
      hashed: 'built',
      plain: 'built',
      argy: 'built',
    });
    expect(JSON.parse(ws.read('dist/image-builds/images/secrets/docker-build.json')).imageId).toMatch(/^sha256:/);
  });

  it('fails a build whose required secret nothing gives, naming the secret, the line and where it was looked, and builds the others', () => {
    expect(first.code).not.toBe(0);
    expect(first.output).toContain(
      '✖ needs-secret: secret "missing_one" is required by images/needs-secret/Dockerfile:3 (RUN --mount=type=secret,id=missing_one) but nothing gives it: declare it in image.json',
    );
    expect(first.output).toContain(
      '✖ declared-absent: secret "gone" is required but absent: environment variable E2E_SECRET_NOT_SET is not set (from "secrets" in the manifest).',
    );
    expect(rows(ws)).toMatchObject({ 'needs-secret': 'failed', 'declared-absent': 'failed' });
  });

  it("keeps a secret's value out of the cache key, unless hashValue asks for its digest", () => {
    // Command-line options are part of the hash: first a run with none, as the two below.
    expect(run(['run-many', '-t', 'docker-build', '-p', 'hashed', 'plain', '--outputStyle=stream']).code).toBe(0);
    const same = run(['run-many', '-t', 'docker-build', '-p', 'hashed', 'plain', '--outputStyle=stream']);
    expect(rows(ws)).toMatchObject({ hashed: 'local cache', plain: 'local cache' });
    const changed = run(['run-many', '-t', 'docker-build', '-p', 'hashed', 'plain', '--outputStyle=stream'], { HASHED_TOKEN: HASHED_B });
    expect(same.code).toBe(0);
    expect(changed.code).toBe(0);
    expect(rows(ws)).toMatchObject({ hashed: 'built', plain: 'local cache' });
  });

  it('warns at graph time about a credential-looking build arg, and redacts one given on the command line', () => {
    expect(first.output).toContain(
      'images/argy/image.json: build arg "API_TOKEN" looks like a credential: build args are kept in the image history and in the build cache',
    );
    const r = run(['run', 'argy:docker-build', `--build-arg=HF_TOKEN=${ARG_TOKEN}`, '--outputStyle=stream']);
    expect(r.code).toBe(0);
    expect(r.output).toContain('NOTE: --build-arg=HF_TOKEN: build arg "HF_TOKEN" looks like a credential');
    const meta = JSON.parse(ws.read('dist/image-builds/images/argy/docker-build.json'));
    expect(meta.args).toMatchObject({ HF_TOKEN: '***', API_TOKEN: '***' });
    for (const file of filesUnder(join(ws.dir, 'dist')))
      expect(readFileSync(file, 'latin1').includes(ARG_TOKEN) ? file : 'clean').toBe('clean');
    // The plugin's own lines never carry it; Nx itself echoes the command it was given.
    const pluginLines = r.output.split('\n').filter((l) => l.includes(ARG_TOKEN) && !/^\s*>?\s*nx run argy:docker-build/.test(l.trim()));
    expect(pluginLines).toEqual([]);
  });

  it('leaves no secret value in the images (saved layers, history), dist/, .nx (cache, workspace data) or any output', async () => {
    const found: string[] = [];
    for (const target of [
      'images/secrets/docker-build',
      'images/variants/docker-build-cpu',
      'images/variants/docker-build-gpu',
      'images/hashed/docker-build',
      'images/plain/docker-build',
    ]) {
      const { imageId } = JSON.parse(ws.read(`dist/image-builds/${target}.json`));
      const saved = await new Promise<Buffer>((resolve, reject) =>
        docker.getImage(imageId).get((err: unknown, stream?: NodeJS.ReadableStream) => {
          if (err || !stream) return reject(err);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => resolve(Buffer.concat(chunks)));
          stream.on('error', reject);
        }),
      );
      expect(saved.length).toBeGreaterThan(1000);
      // The secrets step really ran with them (not a quiet skip): the file it wrote is in a layer.
      if (target === 'images/secrets/docker-build') expect(saved.includes('secrets-checked\n')).toBe(true);
      found.push(...leaks(saved, `docker save of ${target}`));
      found.push(...leaks(JSON.stringify(await docker.getImage(imageId).history()), `history of ${target}`));
      found.push(...leaks(JSON.stringify(await docker.getImage(imageId).inspect()), `inspect of ${target}`));
    }
    const searched = [...filesUnder(join(ws.dir, 'dist')), ...filesUnder(join(ws.dir, '.nx'))];
    expect(searched.some((f) => f.includes(join('.nx', 'cache')))).toBe(true);
    for (const file of searched) found.push(...leaks(readFileSync(file), file.slice(ws.dir.length + 1)));
    outputs.forEach((o, i) => found.push(...leaks(o.output, `the output of nx run ${i + 1}`)));
    expect(found).toEqual([]);
  });
});
