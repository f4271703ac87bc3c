import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { E2E_TMP } from './paths';

/** Nx's self-hosted remote cache protocol, served by a child process (see remote-cache-server.js). */
export class RemoteCacheServer {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    readonly dir: string,
  ) {}

  static async start(): Promise<RemoteCacheServer> {
    const dir = mkdtempSync(join(E2E_TMP, 'remote-cache-'));
    const child = spawn(process.execPath, [join(__dirname, 'remote-cache-server.js'), dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    const port = await new Promise<string>((resolve, reject) => {
      child.stdout!.once('data', (d: Buffer) => resolve(d.toString().trim()));
      child.once('exit', (code) => reject(new Error(`remote cache server exited (${code})`)));
    });
    return new RemoteCacheServer(child, `http://127.0.0.1:${port}`, dir);
  }

  /** The stored artifacts, by hash. */
  get entries(): Map<string, Buffer> {
    return new Map(
      readdirSync(this.dir)
        .filter((f) => f.endsWith('.artifact'))
        .map((f) => [f.replace(/\.artifact$/, ''), readFileSync(join(this.dir, f))]),
    );
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      if (this.child.exitCode !== null || this.child.signalCode !== null) return resolve();
      this.child.once('exit', () => resolve());
      this.child.kill('SIGTERM');
    });
  }
}
