/**
 * The build context as a tar stream, the body of the Engine API's `POST /build`.
 */
import * as path from 'node:path';
import type * as TarFs from 'tar-fs';

/** A file that is not in the context directory but must be in the tar (e.g. a Dockerfile kept elsewhere). */
export interface ExtraFile {
  /** Path inside the tar: relative, POSIX, e.g. `.nx-image-graph.Dockerfile`. */
  name: string;
  content: string | Buffer;
}

export interface PackContextOptions {
  /** Appended after the context files, as regular files with mode 0644. */
  extraFiles?: ExtraFile[];
}

/** Options tar-fs 3 reads that @types/tar-fs (written for v2) does not declare. */
interface TarFsPackOptions extends TarFs.PackOptions {
  /** Bits cleared from every mode; tar-fs defaults to the process umask. */
  umask?: number;
}

/** Fixed mtime for `extraFiles`, so that the same content gives the same bytes. */
const EXTRA_FILE_MTIME = new Date(0);

/**
 * A tar of exactly `files` (relative POSIX paths under `contextDir`, as from
 * `listContextFiles`), in the given order, followed by `extraFiles`. Streamed:
 * each file is read as the consumer pulls, so a large context costs no memory.
 *
 * Headers keep each file's mode (not narrowed by this process's umask) and
 * mtime; uid and gid are 0 and user/group names are left empty, so the tar
 * says nothing about who built it. Symlinks are stored as symlinks. A listed
 * path that has disappeared by the time it is read fails the stream.
 */
export function packContext(contextDir: string, files: string[], options: PackContextOptions = {}): NodeJS.ReadableStream {
  const extraFiles = (options.extraFiles ?? []).map((extra) => ({
    name: checkExtraName(extra.name, files),
    content: typeof extra.content === 'string' ? Buffer.from(extra.content, 'utf8') : extra.content,
  }));

  const packOptions: TarFsPackOptions = {
    entries: files,
    // tar-fs walks into any directory among `entries`; refuse every child so
    // the tar holds exactly the listed paths.
    ignore: () => true,
    umask: 0,
    map: (header) => ({ ...header, uid: 0, gid: 0 }),
    finalize: false,
    finish: (pack) => {
      for (const extra of extraFiles) {
        pack.entry(
          { name: extra.name, type: 'file', mode: 0o644, mtime: EXTRA_FILE_MTIME, uid: 0, gid: 0, size: extra.content.length },
          extra.content,
        );
      }
      pack.finalize();
    },
  };
  // Loaded when a context is sent: a build the engine answers from an image it has sends none.
  return (require('tar-fs') as typeof TarFs).pack(contextDir, packOptions);
}

function checkExtraName(name: string, files: string[]): string {
  const normalised = path.posix.normalize(name);
  if (normalised === '.' || path.posix.isAbsolute(normalised) || normalised === '..' || normalised.startsWith('../')) {
    throw new Error(`Extra context file name "${name}" must be a relative path inside the context.`);
  }
  if (files.includes(normalised)) {
    throw new Error(`Extra context file "${name}" would replace the context's own "${normalised}".`);
  }
  return normalised;
}
