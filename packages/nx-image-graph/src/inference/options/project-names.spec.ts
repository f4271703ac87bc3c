import { assignProjectNames, lengthenedNameWarnings, projectNames } from './project-names';

const names = (dirs: { root: string; declaredName?: string }[]) => Object.fromEntries(assignProjectNames(dirs, 'directory'));

describe('assignProjectNames with "directory" (the default before 0.3.0)', () => {
  it('uses the directory name when it is unique', () => {
    expect(names([{ root: 'images/asr' }, { root: 'images/mux' }])).toEqual({ 'images/asr': 'asr', 'images/mux': 'mux' });
  });

  it('tells two directories with one basename apart by their path', () => {
    expect(names([{ root: 'images/cpu/python' }, { root: 'images/gpu/python' }, { root: 'images/tools' }])).toEqual({
      'images/cpu/python': 'cpu-python',
      'images/gpu/python': 'gpu-python',
      'images/tools': 'tools',
    });
  });

  it('goes as deep as needed', () => {
    expect(names([{ root: 'a/x/base' }, { root: 'b/x/base' }])).toEqual({ 'a/x/base': 'a-x-base', 'b/x/base': 'b-x-base' });
  });

  it('keeps a declared name and steps around it', () => {
    expect(names([{ root: 'images/base/cpu', declaredName: 'base-cpu' }, { root: 'other/base-cpu' }])).toEqual({
      'images/base/cpu': 'base-cpu',
      'other/base-cpu': 'other-base-cpu',
    });
  });

  it('names an image at the workspace root', () => {
    expect(names([{ root: '.' }])).toEqual({ '.': 'root-image' });
  });

  it('is stable whatever the order of discovery', () => {
    const dirs = [{ root: 'images/cpu/python' }, { root: 'images/gpu/python' }];
    expect(names(dirs)).toEqual(names([...dirs].reverse()));
  });
});

describe('names that move when the tree grows (issue: stacks/v2/ubuntu/jammy/desktop)', () => {
  const v2 = { root: 'stacks/v2/ubuntu/jammy/desktop' };
  const v3 = { root: 'stacks/v3/ubuntu/jammy/desktop' };

  it('with "directory", a new directory lengthens the old one\'s name, and the warning says so with both ways to pin it', () => {
    expect(projectNames([v2], 'directory').names.get(v2.root)).toBe('desktop');
    const grown = projectNames([v2, v3], 'directory');
    expect(grown.names.get(v2.root)).toBe('v2-ubuntu-jammy-desktop');
    const [w] = lengthenedNameWarnings(grown.lengthened, (root) => `${root}/Dockerfile`);
    expect(w.file).toBe('stacks/v2/ubuntu/jammy/desktop/Dockerfile');
    expect(w.message).toBe(
      '2 image directories are named "desktop", so their default project names were lengthened: stacks/v2/ubuntu/jammy/desktop -> v2-ubuntu-jammy-desktop, stacks/v3/ubuntu/jammy/desktop -> v3-ubuntu-jammy-desktop.\n' +
        'Such names change when directories of that name are added or removed. Pin them with a "name" in each image.json, or set the plugin option "projectNames": "path" in nx.json (every default name is then the directory\'s whole path).',
    );
  });

  it('with "path", a name is the whole path and no other directory changes it; nothing to warn about', () => {
    const alone = projectNames([v2], 'path');
    const grown = projectNames([v2, v3, { root: 'images/desktop' }], 'path');
    expect(alone.names.get(v2.root)).toBe('stacks-v2-ubuntu-jammy-desktop');
    expect(grown.names.get(v2.root)).toBe('stacks-v2-ubuntu-jammy-desktop');
    expect(grown.lengthened).toEqual([]);
  });

  it('declared names are never lengthened nor warned about', () => {
    const r = projectNames(
      [
        { ...v2, declaredName: 'desktop-v2' },
        { ...v3, declaredName: 'desktop-v3' },
      ],
      'directory',
    );
    expect(Object.fromEntries(r.names)).toEqual({ [v2.root]: 'desktop-v2', [v3.root]: 'desktop-v3' });
    expect(r.lengthened).toEqual([]);
  });
});

describe('"derived", the default: the path below the top-level directory', () => {
  const v2 = { root: 'stacks/v2/ubuntu/jammy/desktop' };
  const v3 = { root: 'stacks/v3/ubuntu/jammy/desktop' };

  it('is the default, and no directory added under the same top-level directory changes a name', () => {
    const alone = projectNames([v2]);
    const grown = projectNames([v2, v3, { root: 'stacks/v2/debian/desktop' }, { root: 'images/desktop' }]);
    expect(alone.names.get(v2.root)).toBe('v2-ubuntu-jammy-desktop');
    expect(Object.fromEntries(grown.names)).toEqual({
      [v2.root]: 'v2-ubuntu-jammy-desktop',
      [v3.root]: 'v3-ubuntu-jammy-desktop',
      'stacks/v2/debian/desktop': 'v2-debian-desktop',
      'images/desktop': 'desktop',
    });
    expect(grown.lengthened).toEqual([]);
  });

  it('keeps the short names of the usual layouts: images/<name>, docker/<name>, a top-level <name>', () => {
    expect(Object.fromEntries(assignProjectNames([{ root: 'images/base' }, { root: 'docker/nginx' }, { root: 'app' }]))).toEqual({
      'images/base': 'base',
      'docker/nginx': 'nginx',
      app: 'app',
    });
    expect(Object.fromEntries(assignProjectNames([{ root: 'images/cpu/python' }, { root: 'images/gpu/python' }]))).toEqual({
      'images/cpu/python': 'cpu-python',
      'images/gpu/python': 'gpu-python',
    });
  });

  it('two top-level directories holding one path take their whole paths, and the warning says how to pin them', () => {
    const r = projectNames([{ root: 'images/base' }, { root: 'docker/base' }, { root: 'images/app' }]);
    expect(Object.fromEntries(r.names)).toEqual({ 'images/base': 'images-base', 'docker/base': 'docker-base', 'images/app': 'app' });
    const [w] = lengthenedNameWarnings(r.lengthened, (root) => `${root}/Dockerfile`);
    expect(w.message).toBe(
      '2 image directories would both be named "base" (the path below their top-level directory), so their default project names were lengthened: images/base -> images-base, docker/base -> docker-base.\n' +
        'Such names change when directories of that name are added or removed. Pin them with a "name" in each image.json, or set the plugin option "projectNames": "path" in nx.json (every default name is then the directory\'s whole path).',
    );
  });

  it('a declared name wins and is stepped around', () => {
    expect(
      Object.fromEntries(assignProjectNames([{ root: 'images/base/cpu', declaredName: 'base-cpu' }, { root: 'images/base-cpu' }])),
    ).toEqual({
      'images/base/cpu': 'base-cpu',
      'images/base-cpu': 'images-base-cpu',
    });
  });
});
