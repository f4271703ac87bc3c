import type Docker from 'dockerode';
import { createWriteStream, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { pipeline } from 'node:stream/promises';

/** `docker save` of one image into a file, streamed, written under a temporary name and then renamed. */
export async function saveImageArchive(docker: Docker, imageId: string, path: string): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    const stream = (await docker.getImage(imageId).get()) as NodeJS.ReadableStream;
    await pipeline(stream, createWriteStream(tmp));
    renameSync(tmp, path);
  } finally {
    rmSync(tmp, { force: true });
  }
}
