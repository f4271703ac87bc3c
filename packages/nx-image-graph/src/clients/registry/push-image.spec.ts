import type Docker from 'dockerode';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pushImage } from './push-image';

const IMAGE = `sha256:${'a'.repeat(64)}`;
const OTHER = `sha256:${'b'.repeat(64)}`;
const DIGEST = `sha256:${'c'.repeat(64)}`;

/** An engine of tags only: what pushImage tags, pushes and untags, and what each push answers. */
function fakeEngine(tags: Record<string, string>, answer: (reference: string) => object[]) {
  const pushed: string[] = [];
  const image = (name: string) => ({
    inspect: async () => {
      const id = name.startsWith('sha256:') ? name : tags[name];
      if (!id) throw new Error(`no such image: ${name}`);
      return { Id: id, RepoTags: Object.keys(tags).filter((t) => tags[t] === id) };
    },
    tag: async ({ repo, tag }: { repo: string; tag: string }) => {
      tags[`${repo}:${tag}`] = name.startsWith('sha256:') ? name : tags[name];
    },
    remove: async () => {
      delete tags[name];
    },
    push: async ({ tag }: { tag: string }) => {
      pushed.push(`${name}:${tag}`);
      return Readable.from(answer(`${name}:${tag}`).map((l) => `${JSON.stringify(l)}\n`));
    },
  });
  return { docker: { getImage: image } as unknown as Docker, tags, pushed };
}

const ok = () => [{ status: 'Pushed', id: 'l1' }, { status: `latest: digest: ${DIGEST} size: 1` }];

describe('pushImage', () => {
  const saved = { config: process.env.DOCKER_CONFIG, auth: process.env.DOCKER_AUTH_CONFIG };
  const noCredentials = mkdtempSync(join(tmpdir(), 'push-image-'));
  beforeAll(() => {
    process.env.DOCKER_CONFIG = noCredentials;
    delete process.env.DOCKER_AUTH_CONFIG;
  });
  afterAll(() => {
    if (saved.config === undefined) delete process.env.DOCKER_CONFIG;
    else process.env.DOCKER_CONFIG = saved.config;
    if (saved.auth !== undefined) process.env.DOCKER_AUTH_CONFIG = saved.auth;
    rmSync(noCredentials, { recursive: true, force: true });
  });

  it("pushes under a tag made for the push, then takes that tag off, keeping the build's", async () => {
    const engine = fakeEngine({ 'acme/x:latest': IMAGE }, ok);
    const result = await pushImage(engine.docker, IMAGE, '127.0.0.1:5000/acme/x:latest');
    expect(result).toMatchObject({ reference: '127.0.0.1:5000/acme/x:latest', digest: DIGEST, uploaded: ['l1'], existing: [] });
    expect(engine.pushed).toEqual(['127.0.0.1:5000/acme/x:latest']);
    expect(engine.tags).toEqual({ 'acme/x:latest': IMAGE });
  });

  it("prints the push's progress through log, ending with a closing line", async () => {
    const layer = 'a57ec3e6eae0';
    const answer = () => [
      { status: 'Preparing', progressDetail: {}, id: layer },
      { status: 'Pushing', progressDetail: { current: 2_000_000, total: 3_000_000 }, id: layer },
      { status: 'Pushed', progressDetail: {}, id: layer },
      { status: `latest: digest: ${DIGEST} size: 1` },
    ];
    const lines: string[] = [];
    await pushImage(fakeEngine({ 'acme/x:latest': IMAGE }, answer).docker, IMAGE, '127.0.0.1:5000/acme/x:latest', {
      log: (l) => lines.push(l),
      progressIntervalMs: 0,
    });
    expect(lines).toEqual([
      '  push 127.0.0.1:5000/acme/x:latest: 0/1 layers, 0 kB of 0 kB',
      '  push 127.0.0.1:5000/acme/x:latest: 0/1 layers, 2.0 MB of 3.0 MB',
      '  push 127.0.0.1:5000/acme/x:latest: 1/1 layers, 3.0 MB of 3.0 MB',
      expect.stringMatching(/^ {2}push 127\.0\.0\.1:5000\/acme\/x:latest: done, 1 layers, 3\.0 MB uploaded, [\d.]+s$/),
    ]);
  });

  it('uses a tag the image already has (a repository naming its registry) and leaves it', async () => {
    const engine = fakeEngine({ '127.0.0.1:5000/acme/x:latest': IMAGE }, ok);
    await pushImage(engine.docker, IMAGE, '127.0.0.1:5000/acme/x:latest');
    expect(engine.tags).toEqual({ '127.0.0.1:5000/acme/x:latest': IMAGE });
  });

  it('never takes off the last tag of the image (that would remove the image)', async () => {
    const engine = fakeEngine({}, ok);
    await pushImage(engine.docker, IMAGE, '127.0.0.1:5000/acme/x:nx-1');
    expect(engine.tags).toEqual({ '127.0.0.1:5000/acme/x:nx-1': IMAGE });
  });

  it('gives a tag it moved back to its image', async () => {
    const engine = fakeEngine({ 'acme/x:latest': IMAGE, '127.0.0.1:5000/acme/x:latest': OTHER }, ok);
    await pushImage(engine.docker, IMAGE, '127.0.0.1:5000/acme/x:latest');
    expect(engine.tags).toEqual({ 'acme/x:latest': IMAGE, '127.0.0.1:5000/acme/x:latest': OTHER });
  });

  it('says docker login <host> for "no basic auth credentials", at once, and still takes its tag off', async () => {
    const refusal = 'no basic auth credentials';
    const engine = fakeEngine({ 'acme/x:latest': IMAGE }, () => [
      { status: 'Preparing', id: 'l1' },
      { errorDetail: { message: refusal }, error: refusal },
    ]);
    await expect(pushImage(engine.docker, IMAGE, '127.0.0.1:5001/acme/x:latest', { retries: 3, backoffMs: 1 })).rejects.toThrow(
      'registry 127.0.0.1:5001 refused 127.0.0.1:5001/acme/x:latest: no basic auth credentials. No credentials found for it (docker login 127.0.0.1:5001, DOCKER_CONFIG, or DOCKER_AUTH_CONFIG).',
    );
    expect(engine.pushed).toHaveLength(1);
    expect(engine.tags).toEqual({ 'acme/x:latest': IMAGE });
  });

  it('gives the same hint for a wrong password', async () => {
    const engine = fakeEngine({ 'acme/x:latest': IMAGE }, () => [{ error: 'unauthorized: authentication required' }]);
    await expect(pushImage(engine.docker, IMAGE, '127.0.0.1:5001/acme/x:latest', { backoffMs: 1 })).rejects.toThrow(
      /docker login 127\.0\.0\.1:5001/,
    );
  });
});
