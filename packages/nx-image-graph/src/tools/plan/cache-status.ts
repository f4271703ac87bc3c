import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NxJsonConfiguration } from '@nx/devkit';

export type CacheStatus = 'local hit' | 'remote hit' | 'miss';

/** Nx's own answers, from the nx the workspace runs (internal modules: loaded here only, by the plan). */
function nxInternals() {
  const { cacheDir } = require('nx/src/utils/cache-directory') as { cacheDir: string };
  const { getDbConnection } = require('nx/src/utils/db-connection') as { getDbConnection: () => unknown };
  const { NxCache } = require('nx/src/native') as {
    NxCache: new (root: string, dir: string, db: unknown) => { get(hash: string): unknown };
  };
  const { isNxCloudUsed } = require('nx/src/utils/nx-cloud-utils') as { isNxCloudUsed: (nxJson: NxJsonConfiguration) => boolean };
  return { cacheDir, getDbConnection, NxCache, isNxCloudUsed };
}

/**
 * Whether Nx would restore a task hash from its local cache (its database entry, as Nx itself
 * reads it) or from a self-hosted remote cache (a GET on `/v1/cache/<hash>`, the body not read).
 */
export class CacheLookup {
  readonly cacheDir: string;
  /** "not configured", "Nx Cloud (not checked)" or the server's address (never its token). */
  readonly remote: string;
  private readonly local: { get(hash: string): unknown };
  private readonly server?: string;
  private readonly token?: string;

  constructor(workspaceRoot: string, nxJson: NxJsonConfiguration, env: NodeJS.ProcessEnv = process.env) {
    const nx = nxInternals();
    this.cacheDir = nx.cacheDir;
    this.local = new nx.NxCache(workspaceRoot, nx.cacheDir, nx.getDbConnection());
    this.server = env.NX_SELF_HOSTED_REMOTE_CACHE_SERVER?.replace(/\/+$/, '') || undefined;
    this.remote = this.server
      ? safeUrl(this.server)
      : nx.isNxCloudUsed(nxJson) && env.NX_NO_CLOUD !== 'true'
        ? 'Nx Cloud (not checked)'
        : 'not configured';
    this.token = env.NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN;
  }

  async status(hash: string): Promise<CacheStatus> {
    if (this.local.get(hash)) return 'local hit';
    if (!this.server) return 'miss';
    const response = await fetch(`${this.server}/v1/cache/${hash}`, {
      headers: this.token ? { Authorization: `Bearer ${this.token}` } : {},
      signal: AbortSignal.timeout(10_000),
    }).catch((e: Error) => {
      throw new Error(`the remote cache at ${safeUrl(this.server!)} did not answer: ${e.message}`);
    });
    await response.body?.cancel();
    if (response.status === 200) return 'remote hit';
    if (response.status === 404) return 'miss';
    throw new Error(
      `the remote cache at ${safeUrl(this.server)} answered ${response.status} for ${hash}${response.status === 401 || response.status === 403 ? ' (check NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN)' : ''}`,
    );
  }

  /** A file of a locally cached task's outputs (workspace-relative path), as Nx would restore it. */
  cachedOutput(hash: string, path: string): string | undefined {
    const file = join(this.cacheDir, hash, path);
    return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  }
}

/** An address without any user:password part. */
function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString().replace(/\/+$/, '');
  } catch {
    return 'NX_SELF_HOSTED_REMOTE_CACHE_SERVER (not a URL)';
  }
}
