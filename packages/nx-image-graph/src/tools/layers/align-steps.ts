import type { StepKind } from './history-steps';

/** The diff id of an empty layer (an empty tar): it holds no bytes, whatever step made it. */
export const EMPTY_DIFF_ID = 'sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef';

export interface Step {
  size: number;
  kind: StepKind;
}

/**
 * Facts about how many layers the image has after a step (index, oldest first): known from an
 * intermediate image of the step, from the parent image (whose history and layers the child's
 * start with), or from the image config of `docker save`.
 */
export type Anchors = ReadonlyMap<number, number>;

export interface Alignment {
  /** Each layer's size: the size of the step that made it. */
  sizes: number[];
  /** Whether every alignment that fits the facts gives each layer this size. */
  exact: boolean;
}

/**
 * Matches history steps (oldest first) to the image's layers in order: each layer is made by
 * one step, a step of size > 0 made a layer, a metadata step none, the empty diff has size 0,
 * and anchors fix the layer count after some steps. Several alignments may fit (which step of
 * size 0 made a layer?); the result is exact when they all give the layers the same sizes, which
 * is what sharing needs. Undefined when none fits (a history that does not describe the layers).
 */
export function alignSteps(steps: readonly Step[], diffIds: readonly string[], anchors: Anchors = new Map()): Alignment | undefined {
  const m = steps.length;
  const n = diffIds.length;
  const take = (i: number, j: number) =>
    j < n && steps[i].kind !== 'empty' && (diffIds[j] !== EMPTY_DIFF_ID || steps[i].size === 0) && fits(i, j + 1);
  const skip = (i: number, j: number) => steps[i].kind !== 'layer' && fits(i, j);
  const fits = (i: number, layersAfter: number) => !anchors.has(i) || anchors.get(i) === layersAfter;
  // done[i][j]: steps i.. can make exactly layers j..
  const done = Array.from({ length: m + 1 }, () => new Array<boolean>(n + 1).fill(false));
  done[m][n] = true;
  for (let i = m - 1; i >= 0; i--) {
    for (let j = 0; j <= n; j++) done[i][j] = (skip(i, j) && done[i + 1][j]) || (take(i, j) && done[i + 1][j + 1]);
  }
  if (!done[0][0]) return undefined;
  // Every size each layer gets over all fitting alignments: forward over the states that can finish.
  const possible = Array.from({ length: n }, () => new Set<number>());
  let states = new Set([0]);
  for (let i = 0; i < m; i++) {
    const next = new Set<number>();
    for (const j of states) {
      if (skip(i, j) && done[i + 1][j]) next.add(j);
      if (take(i, j) && done[i + 1][j + 1]) {
        next.add(j + 1);
        possible[j].add(steps[i].size);
      }
    }
    states = next;
  }
  // One of them: a step of size 0 makes a layer as early as it can.
  const sizes: number[] = [];
  for (let i = 0, j = 0; i < m; i++) {
    if (take(i, j) && done[i + 1][j + 1]) sizes[j++] = steps[i].size;
  }
  return { sizes, exact: possible.every((s) => s.size === 1) };
}
