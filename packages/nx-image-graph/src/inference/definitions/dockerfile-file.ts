import { isUtf8 } from 'node:buffer';
import { lstatSync, readlinkSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';

/**
 * The Dockerfile as a file, before it is read as one: its size, its encoding, and what it is when it
 * is not a file at all (Nx lists files only, so a directory or a broken link named Dockerfile never
 * reaches the plugin as one).
 */

/** Real Dockerfiles are kilobytes; the engine parses one of megabytes for minutes and cannot be stopped while it does. */
export const MAX_DOCKERFILE_BYTES = 1_000_000;

export function oversizeMessage(file: string, size: number): string {
  return (
    `${file}: ${(size / 1e6).toFixed(1)} MB, far beyond any real Dockerfile; the plugin refuses one over ${MAX_DOCKERFILE_BYTES / 1e6} MB before the engine is asked ` +
    `(an engine takes minutes to parse such a file, and cannot be stopped while it does): point "dockerfile" at the right file`
  );
}

/**
 * Text in a legacy encoding (Latin-1, Windows-1252): a few bytes that are not UTF-8 in an otherwise
 * readable file, which Docker would read as replacement characters without a word. Many such bytes,
 * or NULs, are binary data, which the Dockerfile reader reports itself.
 */
export function encodingProblem(bytes: Buffer, file: string): string | undefined {
  if (isUtf8(bytes) || bytes.includes(0)) return undefined;
  const invalid = invalidUtf8Offsets(bytes, 4);
  if (invalid.length === 0 || invalid.length >= 4) return undefined;
  const at = invalid[0];
  let line = 1;
  for (let i = 0; i < at; i++) if (bytes[i] === 0x0a) line++;
  return `${file}:${line}: byte 0x${bytes[at].toString(16).toUpperCase().padStart(2, '0')} is not UTF-8 text (the file looks saved as Latin-1 or Windows-1252); save it as UTF-8`;
}

/** Offsets of the first `limit` bytes that start no valid UTF-8 sequence. */
function invalidUtf8Offsets(bytes: Buffer, limit: number): number[] {
  const found: number[] = [];
  for (let i = 0; i < bytes.length && found.length < limit;) {
    const b = bytes[i];
    const length = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    const whole = length > 0 && i + length <= bytes.length && bytes.subarray(i + 1, i + length).every((c) => (c & 0xc0) === 0x80);
    if (whole && isUtf8(bytes.subarray(i, i + length))) i += length;
    else found.push(i++);
  }
  return found;
}

/** What `path` is when it is there but is no file: a directory, a link to nothing, a link loop. Undefined otherwise. */
export function notAFileMessage(workspaceRoot: string, path: string, configFile: string): string | undefined {
  const full = join(workspaceRoot, path);
  let link: ReturnType<typeof lstatSync>;
  try {
    link = lstatSync(full);
  } catch {
    return undefined;
  }
  const fix = 'fix the link, or point "dockerfile" at the Dockerfile';
  if (link.isSymbolicLink()) {
    try {
      if (!statSync(full).isDirectory()) return undefined;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ELOOP') return `${configFile}: "${path}" is a symbolic link that leads back to itself (ELOOP); ${fix}`;
      if (code === 'ENOENT') return `${configFile}: "${path}" is a symbolic link to "${readlinkSync(full)}", which does not exist; ${fix}`;
      return undefined;
    }
  } else if (!link.isDirectory()) {
    return undefined;
  }
  return `${configFile}: "${path}" is a directory, not a Dockerfile; put the Dockerfile there, or point "dockerfile" at it`;
}

/** The default Dockerfile names beside a manifest that Nx did not list, said for what they are. */
export function besideManifest(workspaceRoot: string, root: string, manifest: string): string | undefined {
  for (const name of ['Dockerfile', 'Containerfile']) {
    const message = notAFileMessage(workspaceRoot, root === '.' ? name : posix.join(root, name), manifest);
    if (message) return message;
  }
  return undefined;
}
