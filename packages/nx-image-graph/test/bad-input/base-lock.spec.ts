import { BUILD_COMMAND } from '../../src/inference/targets/build-command';
import { describeCases, expectMessagesSurviveNx, inferWorkspace } from './test-support/bad-input-workspace';

const digest = (c: string) => `sha256:${c.repeat(64)}`;
const LOCKED_GOOD = { 'busybox:1~36': { reference: 'busybox:1.36', digest: digest('b'), source: 'registry' } };
const lock = (bases: object, version: unknown = 1) => JSON.stringify({ lockfileVersion: version, bases }, null, 2);

// A bad entry blocks only the builds on its base: the good images (on busybox:1.36, locked fine) load.
describeCases('bad input: images.lock.json entries', [
  {
    name: 'an entry whose digest is no digest',
    files: {
      'images/bad/Dockerfile': 'FROM debian:bookworm-slim\n',
      'images.lock.json': lock({
        ...LOCKED_GOOD,
        'debian:bookworm-slim': { reference: 'debian:bookworm-slim', digest: 'sha256:xyz', source: 'registry' },
      }),
    },
    messages: [
      'images.lock.json: "bases.debian:bookworm-slim.digest" "sha256:xyz" is not a digest such as "sha256:<64 hex digits>"; write the entry again with `npx nx-image-graph-lock debian:bookworm-slim`',
    ],
  },
  {
    name: "an entry under another reference's key",
    files: {
      'images/bad/Dockerfile': 'FROM debian:bookworm-slim\n',
      'images.lock.json': lock({
        ...LOCKED_GOOD,
        'debian:bookworm': { reference: 'debian:bookworm-slim', digest: digest('d'), source: 'registry' },
      }),
    },
    messages: [
      'images.lock.json: "bases.debian:bookworm" holds "debian:bookworm-slim", whose key is "debian:bookworm-slim"; fix the key; write the entry again with `npx nx-image-graph-lock debian:bookworm-slim`',
    ],
  },
]);

// A file that is no lock blocks every build on a base it could pin, and nothing else.
describe('bad input: images.lock.json as a whole', () => {
  const files = (text: string) => ({
    'images.lock.json': text,
    'images/plain/Dockerfile': 'FROM scratch\nCOPY app.txt /\n',
    'images/plain/app.txt': 'x\n',
    'images/plain-child/Dockerfile': 'FROM plain:latest\n',
  });
  it.each([
    [
      'not JSON',
      '{ "lockfileVersion": 1, ',
      /^images\.lock\.json is not valid JSON \(.+\); fix it or write it again with `npx nx-image-graph-lock`$/,
    ],
    [
      'a lock of another version',
      lock({}, 2),
      /^images\.lock\.json: "lockfileVersion" is 2, but this nx-image-graph reads version 1; write it again with `npx nx-image-graph-lock`, or use the nx-image-graph that wrote it$/,
    ],
    [
      'not a lock',
      '[]',
      /^images\.lock\.json: not a lock of base images \(an object with "lockfileVersion": 1 and "bases"\); write it again with `npx nx-image-graph-lock`$/,
    ],
  ])('%s: the builds on external bases are blocked with it, images on none still load', (_, text, message) => {
    const r = inferWorkspace(files(text));
    expect(r.problems).toHaveLength(2);
    expect(r.problems[0]).toMatch(message);
    expect(r.problems[1]).toBe(
      `images/good-child/Dockerfile:1: good-child cannot be built because good ("good:latest") cannot be built: ${r.problems[0]}`,
    );
    expect(r.builds.get('good')).toBe('nx-image-graph:invalid');
    expect(r.builds.get('plain')).toBe(BUILD_COMMAND);
    expect(r.builds.get('plain-child')).toBe(BUILD_COMMAND);
    expect(r.parents.get('plain-child')).toEqual(['plain']);
    expectMessagesSurviveNx(r);
  });
});
