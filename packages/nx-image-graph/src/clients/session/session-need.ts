/** What a BuildKit build may ask of its client: each is answered over the build session only. */
export interface SessionDemands {
  /** Secrets and ssh agents given, and `RUN --mount=type=secret|ssh` in the Dockerfile (given or not). */
  secrets: number;
  ssh: number;
  mounts: number;
  /** `--cache-from` references: BuildKit reads their cache from the registry. */
  cacheFrom: number;
  /** The Dockerfile's `# syntax=` frontend image. */
  syntax?: string;
  /** External bases the engine does not hold, or holds only by a locked digest: BuildKit may pull them. */
  basesToFetch: number;
  /** A build for a named platform: BuildKit may fetch a base's image for that platform. */
  platform?: string;
}

/**
 * Whether a build needs a session, and why. BuildKit asks the session for secrets, ssh and the
 * credentials of each registry it contacts; a build that does none of these (every base and
 * parent in the engine, no cache import, no frontend image) builds the same without one, and
 * the task then loads no gRPC and makes no POST /session.
 */
export function sessionReason(d: SessionDemands): string | undefined {
  if (d.secrets || d.ssh || d.mounts) return 'secrets or ssh';
  if (d.cacheFrom) return 'cache from a registry';
  if (d.syntax) return `frontend ${d.syntax}`;
  if (d.basesToFetch) return 'a base to fetch';
  if (d.platform) return `platform ${d.platform}`;
  return undefined;
}
