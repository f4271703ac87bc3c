import { BuildNode, ImageIndex } from './image-index';

const node = (project: string, repository: string, staticTags: string[], extra: Partial<BuildNode> = {}): BuildNode => ({
  project,
  targetName: extra.variant ? `docker-build-${extra.variant}` : 'docker-build',
  repository,
  staticTags,
  hasDynamicTags: false,
  ...extra,
});

describe('ImageIndex: which workspace build a reference names', () => {
  const index = new ImageIndex(
    [
      node('base-cpu', 'acme/base', ['cpu']),
      node('base-cuda', 'acme/base', ['cuda']),
      node('ml-base', 'acme/ml-base', ['cpu'], { variant: 'cpu' }),
      node('ml-base', 'acme/ml-base', ['cuda'], { variant: 'cuda' }),
      node('app', 'acme/app', ['latest']),
      node('runtime', 'acme/runtime', [], { hasDynamicTags: true }),
      node('ubuntu-fork', 'ubuntu', ['22.04']),
    ],
    ['rajiup'],
  );
  const project = (ref: string) => {
    const r = index.resolve(ref);
    return r.kind === 'workspace' ? `${r.node.project}:${r.node.targetName}` : r.kind;
  };

  it('tells two directories publishing one repository apart by tag', () => {
    expect(project('acme/base:cpu')).toBe('base-cpu:docker-build');
    expect(project('acme/base:cuda')).toBe('base-cuda:docker-build');
  });

  it('picks the variant whose tag the reference names', () => {
    expect(project('acme/ml-base:cpu')).toBe('ml-base:docker-build-cpu');
    expect(project('acme/ml-base:cuda')).toBe('ml-base:docker-build-cuda');
  });

  it('ignores the registry host', () => {
    expect(project('ghcr.io/acme/base:cpu')).toBe('base-cpu:docker-build');
    expect(project('localhost:5000/acme/base:cuda')).toBe('base-cuda:docker-build');
    expect(project('docker.io/library/ubuntu:22.04')).toBe('ubuntu-fork:docker-build');
  });

  it('ignores a configured owner prefix', () => {
    expect(project('rajiup/acme/base:cpu')).toBe('base-cpu:docker-build');
  });

  it('reads no tag as latest', () => {
    expect(project('acme/app')).toBe('app:docker-build');
  });

  it('matches a build whose tags are only known at build time', () => {
    expect(project('acme/runtime:abc123-ampere')).toBe('runtime:docker-build');
  });

  it('treats a pinned digest as a published image, not a build edge', () => {
    expect(index.resolve(`acme/base:cpu@sha256:${'a'.repeat(64)}`)).toMatchObject({ kind: 'external', note: expect.stringContaining('pinned by digest') });
  });

  it('treats an unknown tag of a workspace repository as external, and says why', () => {
    expect(index.resolve('acme/base:1.0')).toMatchObject({ kind: 'external', note: expect.stringContaining('no build has tag "1.0"') });
  });

  it('treats other repositories as external bases', () => {
    expect(index.resolve('busybox:1.36')).toEqual({ kind: 'external', reference: 'busybox:1.36' });
  });

  it('says when two builds publish the same tag', () => {
    const twice = new ImageIndex([node('a', 'acme/x', ['1']), node('b', 'acme/x', ['1'])]);
    expect(twice.resolve('acme/x:1')).toMatchObject({ kind: 'ambiguous' });
  });

  it('rejects something that is not a reference', () => {
    expect(index.resolve('Not A Ref')).toMatchObject({ kind: 'invalid' });
  });
});
