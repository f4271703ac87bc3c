import { findCycles } from './find-cycles';

const g = (o: Record<string, string[]>) => new Map(Object.entries(o));

describe('findCycles', () => {
  it('finds none in a tree', () => {
    expect(findCycles(g({ child: ['base'], base: [], other: ['base'] }))).toEqual([]);
  });
  it('names every image on a cycle', () => {
    expect(findCycles(g({ a: ['b'], b: ['c'], c: ['a'], d: ['a'] }))).toEqual([['a', 'b', 'c']]);
  });
  it('reports an image built on itself', () => {
    expect(findCycles(g({ a: ['a'] }))).toEqual([['a']]);
  });
  it('reports two separate cycles separately', () => {
    expect(findCycles(g({ a: ['b'], b: ['a'], x: ['y'], y: ['x'] }))).toEqual([
      ['a', 'b'],
      ['x', 'y'],
    ]);
  });
});
