import { producersOf } from './copy-producers';

const outputs = [
  { project: 'api', root: 'apps/api', target: 'build', outputs: ['dist/apps/api'] },
  { project: 'web', root: 'apps/web', target: 'build', outputs: ['apps/web/dist/**/*.html'] },
];

describe('producersOf', () => {
  it('finds the task whose output holds a copied path, and the one whose output lies in a copied directory', () => {
    expect(producersOf(['dist/apps/api/main.js'], outputs)).toEqual([
      { project: 'api', target: 'build', paths: ['dist/apps/api/main.js'] },
    ]);
    expect(producersOf(['dist'], outputs)).toEqual([{ project: 'api', target: 'build', paths: ['dist'] }]);
    expect(producersOf(['apps/web'], outputs)).toEqual([{ project: 'web', target: 'build', paths: ['apps/web'] }]);
  });

  it('finds nothing for paths beside the outputs', () => {
    expect(producersOf(['apps/api/src', 'dist/apps/api-old'], outputs)).toEqual([]);
  });

  it('leaves out an output inside a copied directory that the build does not send', () => {
    expect(producersOf(['apps/web'], outputs, (p) => p !== 'apps/web/dist')).toEqual([]);
  });

  it('finds every producer of a whole-workspace copy', () => {
    expect(producersOf(['.'], outputs).map((p) => p.project)).toEqual(['api', 'web']);
  });
});
