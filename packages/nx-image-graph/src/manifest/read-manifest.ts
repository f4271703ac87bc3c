import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { ImageManifest, manifestSchema } from './schema';

/** A manifest that cannot be used: the message names the file, the field and what is expected. */
export class ManifestError extends Error {
  constructor(readonly file: string, message: string) {
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
    throw new ManifestError(file, `${file}: not valid JSON (${(e as Error).message}). Fix the syntax, or delete the file to use the Dockerfile alone.`);
  }
  const result = manifestSchema.safeParse(json);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  - ${describeIssue(issue)}`);
    throw new ManifestError(file, `${file}: invalid image manifest\n${lines.join('\n')}\nSee the JSON Schema nx-image-graph/image.schema.json for every field.`);
  }
  return result.data;
}

export function readManifest(path: string, displayPath = path): ImageManifest {
  return parseManifest(readFileSync(path, 'utf8'), displayPath);
}

function fieldPath(path: PropertyKey[]): string {
  return path.length === 0 ? '(top level)' : path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p))).join('.').replace(/\.\[/g, '[');
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const field = fieldPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    return `${field}: unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}; remove ${issue.keys.length > 1 ? 'them' : 'it'} or check the spelling`;
  }
  if (issue.code === 'invalid_key') {
    // A record key (an arg or variant name): say which key and the allowed pattern.
    const key = String(issue.path[issue.path.length - 1]);
    const parent = fieldPath(issue.path.slice(0, -1));
    return `${parent}: "${key}" is not ${issue.issues[0]?.message ?? 'a valid name'}`;
  }
  return `${field}: ${issue.message}`;
}
