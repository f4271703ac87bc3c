import { imageDependencies } from './image-dependencies';
import { readDockerfile } from './read-dockerfile';
import { VariableHistory } from './variable-history';

describe('VariableHistory', () => {
  it('gives the value declared last before a position, else the inherited one', () => {
    const h = new VariableHistory<string>(new Map([['A', 'parent']]));
    h.set('A', 2, 'two');
    h.set('A', 5, 'five');
    expect([0, 2, 3, 5, 6].map((at) => h.get('A', at))).toEqual(['parent', 'parent', 'two', 'two', 'five']);
    expect(h.get('B', 9)).toBeUndefined();
    expect(h.final()).toEqual(new Map([['A', 'five']]));
  });
});

describe('reading many ARG/ENV lines', () => {
  /** Binary-search steps over every stage's variables while reading a Dockerfile of `n` chained ENV lines. */
  function stepsFor(n: number): { steps: number; reference: string } {
    const lines = ['ARG BASE=busybox:1.36', 'FROM ${BASE}', 'ARG BASE'];
    for (let i = 0; i < n; i++) lines.push(`ENV V${i}=\${V${Math.max(0, i - 1)}}`);
    lines.push('ENV LAST=$V0', `COPY --from=\${BASE} /a /b`);
    const histories = new Set<VariableHistory<unknown>>();
    const original = VariableHistory.prototype.set;
    const set = jest.spyOn(VariableHistory.prototype, 'set').mockImplementation(function (this: VariableHistory<unknown>, ...args) {
      histories.add(this);
      return original.apply(this, args);
    });
    try {
      const deps = imageDependencies(readDockerfile(lines.join('\n'), 'Dockerfile'), {});
      return { steps: [...histories].reduce((sum, h) => sum + h.steps, 0), reference: deps.map((d) => d.reference).join(',') };
    } finally {
      set.mockRestore();
    }
  }

  it('does work that grows as n log n: ten times the lines cost well under a hundred times the work', () => {
    const small = stepsFor(2_000);
    const large = stepsFor(20_000);
    expect(large.reference).toBe('busybox:1.36,busybox:1.36');
    expect(small.steps).toBeGreaterThan(0);
    // n log n gives ~13x here; the old copy-the-scope reading was n², 100x.
    expect(large.steps / small.steps).toBeLessThan(15);
    expect(large.steps).toBeLessThan(20_000 * Math.ceil(Math.log2(20_000)) * 2);
  });
});
