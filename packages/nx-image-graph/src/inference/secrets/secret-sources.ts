import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

/** Where a build secret's value comes from: an environment variable or a file. Never the value itself. */
export interface SecretSource {
  env?: string;
  file?: string;
  /** Absent is an error (default for declared secrets). */
  required?: boolean;
  /** Let a digest of the value enter the Nx hash, so a changed value rebuilds (default: the value is not part of the cache key). */
  hashValue?: boolean;
}

export class SecretSourceError extends Error {}

const ID = /^[A-Za-z0-9_.-]+$/;

/**
 * `--secret` as docker takes it: `id=NAME,env=VAR`, `id=NAME,src=PATH` (also `source=`,
 * `type=env|file`); `id=NAME` alone reads the variable NAME, as docker does, else the file NAME.
 */
export function parseSecretFlag(flag: string): { id: string; source: SecretSource } {
  const fields: Record<string, string> = {};
  for (const part of flag.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0)
      throw new SecretSourceError(
        `--secret "${redactFlag(flag)}": "${part}" is not key=value; write --secret=id=NAME,env=VAR or --secret=id=NAME,src=PATH`,
      );
    fields[part.slice(0, eq).trim().toLowerCase()] = part.slice(eq + 1);
  }
  const unknown = Object.keys(fields).filter((k) => !['id', 'env', 'src', 'source', 'type', 'required'].includes(k));
  if (unknown.length)
    throw new SecretSourceError(
      `--secret "${redactFlag(flag)}": unknown key ${unknown.map((k) => `"${k}"`).join(', ')}; the keys are id, env, src (or source), type, required`,
    );
  const id = fields.id;
  if (!id || !ID.test(id)) throw new SecretSourceError(`--secret "${redactFlag(flag)}": needs id=NAME (letters, digits, ".", "_", "-")`);
  const file = fields.src ?? fields.source;
  const required = fields.required === undefined ? true : fields.required !== 'false';
  if (fields.env && file) throw new SecretSourceError(`--secret "${redactFlag(flag)}": give env= or src=, not both`);
  if (fields.env) return { id, source: { env: fields.env, required } };
  if (file) return { id, source: { file, required } };
  if (fields.type === 'file') return { id, source: { file: id, required } };
  return { id, source: { env: id, required } };
}

/** A flag is never expected to hold a value, but someone may paste one: show only its keys. */
function redactFlag(flag: string): string {
  return flag.replace(/=([^,]*)/g, (_m, v: string) => (v.length > 24 ? '=…' : `=${v}`));
}

/** The manifest's secrets (already merged image + variant), then the command line's, which win. */
export function secretSources(
  manifest: Record<string, SecretSource> | undefined,
  flags: string[] | string | undefined,
): Map<string, SecretSource & { from: string }> {
  const out = new Map<string, SecretSource & { from: string }>();
  for (const [id, source] of Object.entries(manifest ?? {})) out.set(id, { required: true, ...source, from: `"secrets" in the manifest` });
  for (const flag of regroupSecretFlags(flags === undefined ? [] : Array.isArray(flags) ? flags : [flags])) {
    const { id, source } = parseSecretFlag(flag);
    out.set(id, { ...source, from: '--secret on the command line' });
  }
  return out;
}

/**
 * Nx splits an array option's value at commas (`--secret=id=a,env=A` arrives as ["id=a", "env=A"]):
 * put each secret's fields back together, a new secret starting at each further `id=`.
 */
export function regroupSecretFlags(items: string[]): string[] {
  const groups: string[][] = [];
  for (const item of items.flatMap((i) => i.split(','))) {
    const current = groups[groups.length - 1];
    if (!current || (/^id=/i.test(item.trim()) && current.some((f) => /^id=/i.test(f.trim())))) groups.push([item]);
    else current.push(item);
  }
  return groups.map((g) => g.join(','));
}

export function expandHome(path: string, env: NodeJS.ProcessEnv = process.env): string {
  if (path === '~' || path.startsWith('~/')) return join(env.HOME || homedir(), path.slice(1));
  return path;
}

/** Where a source looks, for messages: the variable or the file path, never a value. */
export function describeSource(source: SecretSource): string {
  return source.env !== undefined ? `environment variable ${source.env}` : `file ${source.file}`;
}

/**
 * Reads every secret's value. A required secret that is absent fails here, before the build,
 * naming the secret and where it was looked for; an optional one is left out, which BuildKit
 * treats like docker does (the mount is empty, or a `required=true` mount fails the step).
 */
export function readSecrets(
  sources: Map<string, SecretSource & { from: string }>,
  workspaceRoot: string,
  env: NodeJS.ProcessEnv = process.env,
): Map<string, Buffer> {
  const values = new Map<string, Buffer>();
  for (const [id, source] of sources) {
    let value: Buffer | undefined;
    if (source.env !== undefined) {
      const v = env[source.env];
      if (v !== undefined) value = Buffer.from(v, 'utf8');
    } else if (source.file !== undefined) {
      const path = expandHome(source.file, env);
      const full = isAbsolute(path) ? path : join(workspaceRoot, path);
      if (existsSync(full)) {
        if (!statSync(full).isFile()) throw new SecretSourceError(`secret "${id}": ${source.file} is not a file (from ${source.from})`);
        value = readSecretFile(id, source, full);
      }
    }
    if (value !== undefined) values.set(id, value);
    else if (source.required !== false) {
      throw new SecretSourceError(
        `secret "${id}" is required but absent: ${describeSource(source)} ${source.env !== undefined ? 'is not set' : 'does not exist'} (from ${source.from}). ` +
          `Set it, or mark the secret "required": false if the build can do without it.`,
      );
    }
  }
  return values;
}

/** The plugin reads a secret's file (the engine only gets its value), so a file it cannot read is the plugin's to name. */
function readSecretFile(id: string, source: SecretSource & { from: string }, full: string): Buffer {
  try {
    return readFileSync(full);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'unknown error';
    const why = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : 'it cannot be read';
    throw new SecretSourceError(
      `secret "${id}": file ${source.file} cannot be read on this machine (${why}, ${code}; from ${source.from}). ` +
        `nx-image-graph reads it and hands its value to the build, so make it readable by the user running nx, or point the secret at another file`,
    );
  }
}
