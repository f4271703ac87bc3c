import { alignSteps, EMPTY_DIFF_ID, Step } from './align-steps';

const L = (n: number) => `sha256:${String(n).repeat(64).slice(0, 64)}`;
const layer = (size: number): Step => ({ size, kind: 'layer' });
const meta: Step = { size: 0, kind: 'empty' };
const maybe: Step = { size: 0, kind: 'either' };

describe('alignSteps', () => {
  it('gives each layer the size of the step that made it, skipping metadata steps', () => {
    expect(alignSteps([layer(100), meta, layer(5), layer(7), meta], [L(1), L(2), L(3)])).toEqual({ sizes: [100, 5, 7], exact: true });
  });

  it('places the empty diff on a step of size 0 (acme/base:cpu: its WORKDIR made the empty layer)', () => {
    // busybox, ENV, COPY, RUN, WORKDIR /app, CMD: four layers, the last one empty.
    const steps = [layer(1984287), maybe, layer(1339), layer(1564), maybe, meta];
    expect(alignSteps(steps, [L(1), L(2), L(3), EMPTY_DIFF_ID])).toEqual({ sizes: [1984287, 1339, 1564, 0], exact: true });
  });

  it('is exact when steps of size 0 can be placed in several ways that give the same sizes', () => {
    // classic builder: WORKDIR, WORKDIR, RUN true, touch, COPY of an empty file, dd: three of the five made layers.
    const steps = [layer(1984287), meta, maybe, maybe, maybe, maybe, maybe, layer(10240), meta];
    expect(alignSteps(steps, [L(1), L(2), L(3), L(4), L(5)])).toEqual({ sizes: [1984287, 0, 0, 0, 10240], exact: true });
    // A `WORKDIR /` after it may have made the last layer instead: then dd's layer is the fourth.
    expect(alignSteps([...steps.slice(0, -1), maybe, meta], [L(1), L(2), L(3), L(4), L(5)])).toMatchObject({ exact: false });
  });

  it('says when the sizes depend on which step of size 0 made a layer, and an anchor settles it', () => {
    const steps = [layer(100), maybe, layer(5), maybe];
    const diffIds = [L(1), L(2), L(3)];
    expect(alignSteps(steps, diffIds)).toEqual({ sizes: [100, 0, 5], exact: false });
    // The image after step 1 (an intermediate image, or the parent) has 1 layer: that step made none.
    expect(alignSteps(steps, diffIds, new Map([[1, 1]]))).toEqual({ sizes: [100, 5, 0], exact: true });
  });

  it('finds no alignment when the history does not describe the layers', () => {
    expect(alignSteps([layer(1)], [L(1), L(2)])).toBeUndefined();
    expect(alignSteps([layer(1), layer(2)], [L(1)])).toBeUndefined();
    expect(alignSteps([layer(3)], [EMPTY_DIFF_ID])).toBeUndefined();
    expect(alignSteps([], [])).toEqual({ sizes: [], exact: true });
  });
});
