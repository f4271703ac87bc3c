import { BuildNode, ImageIndex } from './image-index';

const node = (project: string, repository: string, templates: string[], extra: Partial<BuildNode> = {}): BuildNode => ({
  project,
  targetName: extra.variant ? `docker-build-${extra.variant}` : 'docker-build',
  repository,
  ...ImageIndex.tagsOf(templates, { variant: extra.variant, args: {}, projectName: project }),
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
      node('runtime', 'acme/runtime', ['{git.shortSha}-ampere']),
      node('nightly', 'acme/nightly', ['sha-{git.sha}', '{date:YYYYMMDD}']),
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

  it('matches a build whose tags are only known at build time, by what its templates can give', () => {
    expect(project('acme/runtime:0123456789ab-ampere')).toBe('runtime:docker-build');
    expect(project(`acme/nightly:sha-${'0a'.repeat(20)}`)).toBe('nightly:docker-build');
    expect(project('acme/nightly:20261201')).toBe('nightly:docker-build');
  });

  it('does not let a placeholder match any tag', () => {
    expect(index.resolve('acme/nightly:latest')).toMatchObject({ kind: 'unknown-tag', tag: 'latest' });
    expect(index.resolve('acme/nightly:2020-01-01')).toMatchObject({ kind: 'unknown-tag' });
    expect(index.resolve('acme/runtime:abc-ampere')).toMatchObject({ kind: 'unknown-tag' });
  });

  it('keeps the edge to a broken image whose tags could not be read', () => {
    const withBroken = new ImageIndex([node('par', 'f3/sp-par', [], { broken: true, anyTag: true })]);
    expect(withBroken.resolve('f3/sp-par:latest')).toMatchObject({ kind: 'workspace', node: { project: 'par' } });
  });

  it('finds a workspace repository one or two edits away', () => {
    const ml = new ImageIndex([node('stack', 'arr-ml-stack', ['latest']), node('node', 'node', ['latest'])]);
    expect(ml.nearMiss('arr-ml-stak:1')).toBe('arr-ml-stack');
    expect(ml.nearMiss('arr-ml-stack:1')).toBeUndefined();
    expect(ml.nearMiss('nodes:1')).toBeUndefined();
    expect(ml.nearMiss('busybox:1.36')).toBeUndefined();
  });

  it('treats a pinned digest as a published image, not a build edge', () => {
    expect(index.resolve(`acme/base:cpu@sha256:${'a'.repeat(64)}`)).toMatchObject({
      kind: 'external',
      note: expect.stringContaining('pinned by digest'),
    });
  });

  it('reports an unknown tag of a workspace repository, with the builds it has', () => {
    expect(index.resolve('acme/base:1.0')).toMatchObject({
      kind: 'unknown-tag',
      tag: '1.0',
      candidates: [{ project: 'base-cpu' }, { project: 'base-cuda' }],
    });
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
