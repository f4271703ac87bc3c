import type { SalvagedIdentity } from '../definitions/salvage-identity';

/** What keeps an image out of the graph, and what is still known of a broken one. */
export interface GraphProblem {
  file: string;
  message: string;
  /** Image directories that cannot be built because of it. */
  roots: string[];
  /**
   * Problems of one kind the user may not have asked about (images outside the manifests, on a
   * workspace repository under a tag no build makes): printed as one notice (report-problems.ts).
   */
  group?: { kind: 'unadopted-tag'; reference: string };
}

/** An image directory whose definition could not be read, with what it still says about itself. */
export interface BrokenImage {
  root: string;
  namePath?: string;
  configFile: string;
  identity: SalvagedIdentity;
  message: string;
}
