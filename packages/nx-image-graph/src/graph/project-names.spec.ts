import { assignProjectNames } from './project-names';

const names = (dirs: { root: string; declaredName?: string }[]) => Object.fromEntries(assignProjectNames(dirs));

describe('assignProjectNames', () => {
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
