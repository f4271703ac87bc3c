import { formatImageReference, normalizeRepository, parseImageReference } from './image-reference';

const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('parseImageReference', () => {
  it.each([
    ['alpine', { repository: 'alpine' }],
    ['alpine:3.20', { repository: 'alpine', tag: '3.20' }],
    ['acme/base:cuda', { repository: 'acme/base', tag: 'cuda' }],
    ['ghcr.io/acme/base:cpu', { registry: 'ghcr.io', repository: 'acme/base', tag: 'cpu' }],
    ['localhost/acme/base', { registry: 'localhost', repository: 'acme/base' }],
    ['localhost:5000/base:1', { registry: 'localhost:5000', repository: 'base', tag: '1' }],
    ['registry.local:5000/team/app', { registry: 'registry.local:5000', repository: 'team/app' }],
    ['[::1]:5000/app:2', { registry: '[::1]:5000', repository: 'app', tag: '2' }],
    ['docker.io/library/ubuntu:24.04', { registry: 'docker.io', repository: 'library/ubuntu', tag: '24.04' }],
    [`acme/base@${DIGEST}`, { repository: 'acme/base', digest: DIGEST }],
    [`acme/base:1.0@${DIGEST}`, { repository: 'acme/base', tag: '1.0', digest: DIGEST }],
    ['my_org/my-app__x.y:v1_2-rc.3', { repository: 'my_org/my-app__x.y', tag: 'v1_2-rc.3' }],
    // Upper case marks a host in Docker's rule (repositories are lower case).
    ['Registry/app', { registry: 'Registry', repository: 'app' }],
  ])('reads %s', (ref, expected) => {
    expect(parseImageReference(ref)).toEqual(expected);
  });

  it.each([
    ['', 'empty'],
    ['acme/Base', 'upper case in the repository'],
    ['acme base', 'a space'],
    ['acme/base:', 'an empty tag (left by an unset variable)'],
    ['${BASE_IMAGE}', 'an unexpanded variable'],
    ['acme/base:${VARIANT}', 'an unexpanded variable in the tag'],
    ['/acme/base', 'an empty component'],
    ['acme//base', 'an empty component'],
    ['acme/base-', 'a trailing separator'],
    ['acme/base@sha256:abc', 'a short digest'],
    ['acme/base:-x', 'a tag starting with -'],
    [`acme/base:${'t'.repeat(129)}`, 'a tag longer than 128'],
  ])('refuses %j (%s)', (ref) => {
    expect(parseImageReference(ref)).toBeUndefined();
  });
});

describe('formatImageReference', () => {
  it('writes the parts back as they were read', () => {
    for (const ref of ['alpine', 'ghcr.io/acme/base:cpu', `localhost:5000/x:1@${DIGEST}`]) {
      expect(formatImageReference(parseImageReference(ref)!)).toBe(ref);
    }
  });
});

describe('normalizeRepository', () => {
  it('drops Docker Hub host names and the implicit library/', () => {
    expect(normalizeRepository('library/ubuntu', 'docker.io')).toBe('ubuntu');
    expect(normalizeRepository('ubuntu', 'index.docker.io')).toBe('ubuntu');
    expect(normalizeRepository('acme/base', 'registry-1.docker.io')).toBe('acme/base');
    expect(normalizeRepository('library/ubuntu')).toBe('ubuntu');
    expect(normalizeRepository('acme/base')).toBe('acme/base');
  });

  it('keeps other registries, and their library/ prefix', () => {
    expect(normalizeRepository('acme/base', 'ghcr.io')).toBe('ghcr.io/acme/base');
    expect(normalizeRepository('library/x', 'localhost:5000')).toBe('localhost:5000/library/x');
  });
});
