// The module object itself: spying through an import * copy would not reach the reader.
const fs = require('node:fs') as typeof import('node:fs');
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeUnsupported, unsupportedFeature } from '../../src/build/pipeline/builder-features';
import { readSecrets, secretSources } from '../../src/inference/secrets/secret-sources';
import { pinnedBasesToFetch, unavailablePinnedBase } from '../../src/build/pipeline/pinned-bases';
import { RegistryUnreachableError } from '../../src/clients/registry/registry-api';
import { cacheFromWarnings } from '../../src/build/pipeline/cache-from-check';
import { contextWarnings } from '../../src/build/pipeline/context-warnings';
import { buildContextFiles } from '../../src/build/pipeline/build-context';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';

const zero = `sha256:${'0'.repeat(64)}`;

/**
 * Bad input only the build can see (the engine, the registries, the machine's files at build time):
 * each case runs the module the build executor calls before the engine is asked, with the message it
 * fails or warns with. bad-input.e2e.ts runs them through the real CLI and engine.
 */
afterEach(() => jest.restoreAllMocks());

describe('bad input found at build time', () => {
  it("an unreadable secret file: named as the plugin's read, with the secret, the file and the fix", () => {
    const root = mkdtempSync(join(tmpdir(), 'nig-secret-'));
    try {
      writeFileSync(join(root, 'secret.txt'), 's3cr3t');
      const real = fs.readFileSync;
      // Tests run as root, where chmod does not stop reads.
      jest.spyOn(fs, 'readFileSync').mockImplementation(((path: string, ...rest: unknown[]) => {
        if (String(path).endsWith('secret.txt'))
          throw Object.assign(new Error(`EACCES: permission denied, open '${path}'`), { code: 'EACCES' });
        return (real as (...a: unknown[]) => unknown)(path, ...rest);
      }) as typeof fs.readFileSync);
      expect(() => readSecrets(secretSources({ token: { file: 'secret.txt' } }, undefined), root)).toThrow(
        'secret "token": file secret.txt cannot be read on this machine (permission denied, EACCES; from "secrets" in the manifest). nx-image-graph reads it and hands its value to the build, so make it readable by the user running nx, or point the secret at another file',
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("a heredoc on Docker 20.10's BuildKit: refused before the build, not the engine's parse error", () => {
    const builder = { engine: 'docker', version: '20.10.24', buildkit: true };
    const u = unsupportedFeature('FROM busybox:1.36\nRUN <<EOF\necho hi\nEOF\n', builder);
    expect(describeUnsupported('images/bad/Dockerfile', u!, builder)).toBe(
      "images/bad/Dockerfile uses heredocs (line 2), which the built-in Dockerfile frontend of Docker 20.10.24 does not have (the engine would read the heredoc's lines as instructions); " +
        'upgrade the engine to Docker 23 or later, or make the first line "# syntax=docker/dockerfile:1" so BuildKit uses a frontend that has them (the engine must be able to pull it)',
    );
  });

  it('FROM an image by a digest its registry does not have: the line, the digest, "not found" and where', async () => {
    const bases = pinnedBasesToFetch(
      [{ reference: `127.0.0.1:5000/acme/busybox@${zero}` }],
      [{ reference: `127.0.0.1:5000/acme/busybox@${zero}`, line: 1 }],
    );
    expect(await unavailablePinnedBase(bases, 'images/bad/Dockerfile', async () => false)).toBe(
      `images/bad/Dockerfile:1: "127.0.0.1:5000/acme/busybox@${zero}" names digest ${zero}, which the registry 127.0.0.1:5000 does not have for acme/busybox (not found), and the engine does not hold it either; fix the digest in the Dockerfile, or load the image into the engine`,
    );
  });

  it('FROM busybox@sha256:000… with Docker Hub out of reach: not the engine\'s "no such host", but the line and what is missing', async () => {
    const bases = pinnedBasesToFetch([{ reference: `busybox@${zero}` }], [{ reference: `busybox@${zero}`, line: 1 }]);
    const unreachable = async () => {
      throw new RegistryUnreachableError(
        'registry index.docker.io did not answer HEAD /library/busybox/manifests/x: getaddrinfo ENOTFOUND registry-1.docker.io',
      );
    };
    expect(await unavailablePinnedBase(bases, 'images/bad/Dockerfile', unreachable)).toMatch(
      /^images\/bad\/Dockerfile:1: "busybox@sha256:0{64}" names digest sha256:0{64}; the engine does not hold it, and its registry registry-1\.docker\.io cannot be reached to fetch it \(.*ENOTFOUND.*\); pull or load it into the engine where the registry can be reached, or fix the digest in the Dockerfile$/,
    );
  });

  it('a lock entry whose digest its registry does not have: names images.lock.json and how to lock it again', async () => {
    const bases = pinnedBasesToFetch(
      [
        { reference: 'busybox:1.36', digest: zero },
        { reference: 'debian:bookworm-slim', imageId: 'sha256:1', digest: zero },
      ],
      [],
    );
    expect(await unavailablePinnedBase(bases, 'images/bad/Dockerfile', async () => false)).toBe(
      `busybox:1.36 is locked in images.lock.json to ${zero}, which the registry registry-1.docker.io does not have for library/busybox (not found), and the engine does not hold it either; run \`npx nx-image-graph-lock busybox:1.36\` to lock what its registry has now, or load the locked image into the engine`,
    );
  });

  it('a cacheFrom image its registry does not have, or cannot give: a warning, not a build that quietly reuses nothing', async () => {
    expect(await cacheFromWarnings(['127.0.0.1:5000/acme/asr:cpu'], async () => false)).toEqual([
      '"cacheFrom" 127.0.0.1:5000/acme/asr:cpu: the registry 127.0.0.1:5000 has no acme/asr:cpu, so the build reuses no layers from it (BuildKit goes on without a word); push it first (a build with "inlineCache": true, then docker-push), or fix the reference',
    ]);
    const unreachable = async () => {
      throw new RegistryUnreachableError(
        'registry registry.invalid did not answer HEAD /acme/asr/manifests/cpu: getaddrinfo ENOTFOUND registry.invalid',
      );
    };
    expect(await cacheFromWarnings(['registry.invalid/acme/asr:cpu'], unreachable)).toEqual([
      '"cacheFrom" registry.invalid/acme/asr:cpu: its registry registry.invalid cannot be reached (did not answer HEAD /acme/asr/manifests/cpu: getaddrinfo ENOTFOUND registry.invalid), so the build reuses no layers from it (BuildKit goes on without a word)',
    ]);
  });

  it('a FIFO and a socket in the context: named, not silently left out', async () => {
    const root = mkdtempSync(join(tmpdir(), 'nig-special-'));
    try {
      mkdirSync(join(root, 'app'));
      writeFileSync(join(root, 'app/app.txt'), 'x');
      writeFileSync(join(root, 'Dockerfile'), 'FROM busybox:1.36\nCOPY . /app\n');
      execFileSync('mkfifo', [join(root, 'app/pipe')]);
      const server = createServer().listen(join(root, 'app/sock'));
      try {
        await new Promise((r) => server.once('listening', r));
        const sent = await buildContextFiles(root, join(root, 'Dockerfile'), undefined, ['Dockerfile']);
        expect(sent.files).toEqual(['Dockerfile', 'app/app.txt']);
        expect(contextWarnings(sent, 'images/bad')).toEqual([
          'the build context images/bad holds files that are not regular: app/pipe (a FIFO), app/sock (a socket); no build context can carry them, so they were left out (a COPY of one fails as "not found"). Remove them, or list them in .dockerignore',
        ]);
      } finally {
        server.close();
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
