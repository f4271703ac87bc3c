import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import type { ImageManifest } from './schema';

/** A manifest that cannot be used: the message names the file, the field and what is expected. */
export class ManifestError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(message);
    this.name = 'ManifestError';
  }
}

export const MANIFEST_FILE = 'image.json';

/** Parse manifest text; every problem is reported at once, one line per field. */
export function parseManifest(text: string, file: string): ImageManifest {
  if (text.charCodeAt(0) === 0xfeff) {
    throw new ManifestError(file, `${file}: starts with a byte-order mark (BOM); save it as UTF-8 without BOM (JSON does not allow one)`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ManifestError(
      file,
      `${file}${jsonErrorPlace(text, (e as Error).message)}: not valid JSON (${(e as Error).message.replace(/ in JSON at position \d+.*$/, '')}). Fix the syntax, or delete the file to use the Dockerfile alone.`,
    );
  }
  // The schema (zod) loads with the first manifest read: a warm graph reads none, its definitions are cached.
  const result = (require('./schema') as typeof import('./schema')).manifestSchema.safeParse(json);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  - ${describeIssue(issue, json)}`);
    throw new ManifestError(
      file,
      `${file}: invalid image manifest\n${lines.join('\n')}\nSee the JSON Schema nx-image-graph/image.schema.json for every field.`,
    );
  }
  return result.data;
}

/** `:line:column` of a JSON.parse error, from the position it reports. */
function jsonErrorPlace(text: string, message: string): string {
  const m = / at position (\d+)/.exec(message);
  if (!m) return '';
  const before = text.slice(0, Number(m[1]));
  const line = before.split('\n').length;
  return `:${line}:${Number(m[1]) - before.lastIndexOf('\n')}`;
}

export function readManifest(path: string, displayPath = path): ImageManifest {
  return parseManifest(readFileSync(path, 'utf8'), displayPath);
}

function fieldPath(path: PropertyKey[]): string {
  return path.length === 0
    ? '(top level)'
    : path
        .map((p) => (typeof p === 'number' ? `[${p}]` : String(p)))
        .join('.')
        .replace(/\.\[/g, '[');
}

function describeIssue(issue: z.core.$ZodIssue, json: unknown): string {
  const field = fieldPath(issue.path);
  const value = issue.path.reduce<unknown>((v, p) => (v as Record<PropertyKey, unknown> | undefined)?.[p as string], json);
  if (issue.code === 'unrecognized_keys') {
    return `${field}: unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}; remove ${issue.keys.length > 1 ? 'them' : 'it'} or check the spelling`;
  }
  if (issue.code === 'invalid_key') {
    // A record key (an arg or variant name): say which key and the allowed pattern.
    const key = String(issue.path[issue.path.length - 1]);
    const parent = fieldPath(issue.path.slice(0, -1));
    return `${parent}: "${key}" is not ${issue.issues[0]?.message ?? 'a valid name'}`;
  }
  if (issue.code === 'invalid_type') {
    const wanted =
      issue.expected === 'array'
        ? 'a list (JSON array)'
        : issue.expected === 'object'
          ? 'an object'
          : issue.expected === 'boolean'
            ? 'true or false'
            : `a ${issue.expected}`;
    return `${field}: must be ${wanted}; got ${show(value)}`;
  }
  if (issue.code === 'too_small' && issue.origin === 'string' && issue.minimum === 1) return `${field}: must not be empty`;
  if (issue.code === 'invalid_value')
    return `${field}: must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}; got ${show(value)}`;
  if (issue.code === 'invalid_union' && issue.path[issue.path.length - 1] === 'type')
    return `${field}: ${show(value)} is not a check type; use "command", "file", "env", "user" or "entrypoint"`;
  if (issue.code === 'invalid_format') return `${field}: ${show(value)} is not ${issue.message}`;
  return `${field}: ${issue.message}`;
}

function show(value: unknown): string {
  const s = JSON.stringify(value);
  if (s === undefined) return 'nothing';
  if (Array.isArray(value)) return `a list (${s.length > 40 ? `${s.slice(0, 37)}...` : s})`;
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
