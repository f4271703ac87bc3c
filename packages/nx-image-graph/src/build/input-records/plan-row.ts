/** What a run would do with one image build: the plan's row, and a dry run's verdict. */
export type PlanStatus = 'local hit' | 'remote hit' | 'miss' | 'unknown';

/** One image build a run would touch. */
export interface PlanRow {
  task: string;
  /** Nx's hash, when it can be known before the run (not while a parent rebuilds). */
  hash?: string;
  status: PlanStatus;
  /** For a miss (or an unknown): what differs from the last recorded build of the target. */
  reasons: string[];
  /** A local hit's image id (read from the cache entry Nx would restore): what the builds on it are built on. */
  imageId?: string;
}
