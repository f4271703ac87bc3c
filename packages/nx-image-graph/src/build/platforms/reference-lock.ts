import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Holds local image references of one engine for the length of a build, across processes.
 *
 * A child's Dockerfile names its parent by tag (`FROM acme/base:latest`), and the engine's image
 * store holds one image per tag: the amd64 and arm64 builds of a child (or another image on the
 * same parent) each point that tag at their platform's parent image, and BuildKit reads it when the
 * build starts. So builds that pin a per-platform parent under a reference take turns on it.
 */
export async function lockReferences(
  engine: string,
  references: string[],
  log: (line: string) => void = () => undefined,
  opts: { dir?: string; timeoutMs?: number; pollMs?: number } = {},
): Promise<() => void> {
  const dir = opts.dir ?? join(tmpdir(), 'nx-image-graph-locks');
  mkdirSync(dir, { recursive: true });
  const held: string[] = [];
  const release = () => {
    for (const path of held.splice(0)) rmSync(path, { recursive: true, force: true });
  };
  // Sorted, so two builds wanting the same references never wait on each other in a circle.
  for (const reference of [...new Set(references)].sort()) {
    const path = join(dir, createHash('sha256').update(`${engine}\n${reference}`).digest('hex').slice(0, 24));
    const deadline = Date.now() + (opts.timeoutMs ?? 60 * 60 * 1000);
    let told = false;
    for (;;) {
      try {
        mkdirSync(path);
        writeFileSync(join(path, 'owner'), `${process.pid}\n${reference}\n`);
        held.push(path);
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
          release();
          throw e;
        }
      }
      if (stale(path)) {
        rmSync(path, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) {
        release();
        throw new Error(`waited too long for ${reference}: another build holds it (lock ${path}; remove it if no build is running)`);
      }
      if (!told) log(`  waiting for ${reference}: another build uses that tag for another platform's parent image`);
      told = true;
      await new Promise((r) => setTimeout(r, opts.pollMs ?? 250));
    }
  }
  return release;
}

/** A lock whose owner process is gone (killed mid-build). */
function stale(path: string): boolean {
  try {
    const pid = Number(readFileSync(join(path, 'owner'), 'utf8').split('\n')[0]);
    process.kill(pid, 0);
    return false;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EPERM') return false;
    // No owner file yet: the holder is between mkdir and write, unless that was long ago.
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      try {
        return Date.now() - statSync(path).mtimeMs > 10_000;
      } catch {
        return true;
      }
    }
    return true;
  }
}
