/**
 * Every value a variable takes in a stage, in declaration order, so the value in force at any
 * point is one binary search away. Copying the whole scope at each ARG/ENV (as this module did)
 * made reading quadratic: 7,000 ENV lines took over a minute.
 */
export class VariableHistory<V> {
  private readonly byName = new Map<string, { at: number; value: V }[]>();
  /** Binary-search steps taken, for tests that the work grows as n log n, not n². */
  steps = 0;

  constructor(private readonly inherited: ReadonlyMap<string, V> = new Map()) {}

  /** Declares `name` at `at`; positions must not decrease. */
  set(name: string, at: number, value: V): void {
    const list = this.byName.get(name);
    if (list) list.push({ at, value });
    else this.byName.set(name, [{ at, value }]);
  }

  /** The value of `name` declared last before `before` (or inherited), if any. */
  get(name: string, before: number): V | undefined {
    const list = this.byName.get(name);
    if (!list) return this.inherited.get(name);
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      this.steps++;
      const mid = (lo + hi) >> 1;
      if (list[mid].at < before) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 ? list[lo - 1].value : this.inherited.get(name);
  }

  /** Every name's last value, with the inherited ones: what a stage built FROM this one starts with. */
  final(): Map<string, V> {
    const out = new Map(this.inherited);
    for (const [name, list] of this.byName) out.set(name, list[list.length - 1].value);
    return out;
  }
}
