import { parse, ParseError } from 'jsonc-parser';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ImageDirectory } from './discover-images';
import { variantOfDockerfileName } from './discover-images';

/** What a broken image still says about itself: enough to keep the edges to it. */
export interface SalvagedIdentity {
  declaredName?: string;
  repository?: string;
  builds: { variant?: string; tags?: string[]; args: Record<string, string> }[];
}

/**
 * Reads what it can of a manifest that does not parse or validate (a trailing comma, a wrong
 * field): its name, repository, tags and variants. A broken image keeps its place in the graph
 * by these, so an image built on it is skipped because of it instead of being built on whatever
 * the engine holds under that name.
 */
export function salvageIdentity(dir: ImageDirectory, workspaceRoot: string): SalvagedIdentity {
  let raw: unknown;
  if (dir.manifest) {
    try {
      const errors: ParseError[] = [];
      raw = parse(readFileSync(join(workspaceRoot, dir.manifest), 'utf8').replace(/^\uFEFF/, ''), errors, {
        allowTrailingComma: true,
        disallowComments: false,
      });
    } catch {
      raw = undefined;
    }
  }
  const m = isObject(raw) ? raw : {};
  const strings = (v: unknown) => (Array.isArray(v) && v.every((t) => typeof t === 'string') ? (v as string[]) : undefined);
  const args = (v: unknown) =>
    isObject(v) ? (Object.fromEntries(Object.entries(v).filter(([, x]) => typeof x === 'string')) as Record<string, string>) : {};
  const variants = isObject(m.variants) ? Object.entries(m.variants) : [];
  const builds = variants.length
    ? variants.map(([variant, v]) => ({
        variant,
        tags: strings(isObject(v) ? v.tags : undefined) ?? strings(m.tags) ?? ['{variant}'],
        args: { ...args(m.args), ...args(isObject(v) ? v.args : undefined) },
      }))
    : dir.dockerfiles.length > 1 && typeof m.dockerfile !== 'string'
      ? dir.dockerfiles.map((f) => ({ variant: variantOfDockerfileName(f), tags: strings(m.tags) ?? ['{variant}'], args: args(m.args) }))
      : [{ tags: strings(m.tags) ?? (dir.manifest && raw === undefined ? undefined : ['latest']), args: args(m.args) }];
  return {
    // Only a name the manifest schema would take: an invalid one must not become a project name.
    ...(typeof m.name === 'string' && /^[a-zA-Z0-9][a-zA-Z0-9._-]*$/.test(m.name) ? { declaredName: m.name } : {}),
    ...(typeof m.repository === 'string' && m.repository ? { repository: m.repository } : {}),
    builds,
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
