import { buildOrder } from './build-order';

describe('buildOrder', () => {
  it('puts parents first, whatever order the tasks come in, and ignores parents not planned', () => {
    const parents: Record<string, string[]> = { 'app:b': ['ml:b', 'other:b'], 'ml:b': ['base:b'], 'base:b': [], 'tool:b': ['base:b'] };
    expect(buildOrder(['app:b', 'tool:b', 'ml:b', 'base:b'], (id) => parents[id])).toEqual(['base:b', 'ml:b', 'app:b', 'tool:b']);
  });
});
