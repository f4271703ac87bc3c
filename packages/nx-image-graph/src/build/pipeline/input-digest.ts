import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { digestsFileOf, fileDigest, loadDigests, saveDigests, type FileDigest } from '../context/file-digests';
import type { BuildPlan } from './build-plan';

/**
 * The label every image the plugin builds carries: a digest of the build's own inputs. An image in
 * the engine with this label is what a build of these inputs gives, found with one request
 * (engine/images-by-label.ts) where Nx's hash moved for reasons of its own (nx.json, a new target beside it, a cold cache).
 */
export const INPUTS_LABEL = 'nx-image-graph.inputs';

/** What a build is made of, as the engine gets it, and nothing of Nx: no nx.json, no other target, no Nx hash. */
export interface BuildInputs {
  /** The Dockerfile as sent (locked bases by digest, stages of other images replaced). */
  dockerfile: string;
  target?: string;
  platform?: string;
  builder: 'buildkit' | 'classic';
  network?: string;
  /** Args as sent, expanded. */
  args: Record<string, string>;
  /** Labels as sent, without this one. */
  labels: Record<string, string>;
  contextDir: string;
  /** The context files sent, context-relative. */
  files: string[];
  parents: { reference: string; imageId: string }[];
  bases: { reference: string; imageId?: string; digest?: string }[];
  /** Digests (never values) of the secrets marked "hashValue", by id. */
  secrets: Record<string, string>;
}

/** `sha256:<hex>`, or undefined when an input cannot be known: a context file gone, a base the engine does not hold. */
export function inputDigest(inputs: BuildInputs): string | undefined {
  const files: [string, FileDigest][] = [];
  for (const f of inputs.files) {
    const d = fileDigest(join(inputs.contextDir, f));
    if (!d) return undefined;
    files.push([f, d]);
  }
  // An external base known by neither an id nor a locked digest is whatever BuildKit pulls: no lookup can stand for it.
  if (inputs.bases.some((b) => !b.imageId && !b.digest && !knownByName(b.reference))) return undefined;
  const { contextDir: _dir, files: _files, ...rest } = inputs;
  return `sha256:${createHash('sha256')
    .update(canonicalJson({ version: 1, ...rest, files }))
    .digest('hex')}`;
}

/** `scratch` is nothing, and a reference pinned by digest in the Dockerfile names its content. */
function knownByName(reference: string): boolean {
  return reference.toLowerCase() === 'scratch' || /@sha256:[0-9a-f]{64}$/.test(reference);
}

/** JSON with object keys sorted at every level: the same inputs give the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The inputs digest of a planned build as the engine gets it. The context's file digests an
 * earlier build of the task kept are taken for files whose stat did not change, and kept again for the next.
 */
export function buildInputsDigest(
  plan: BuildPlan,
  sent: Pick<BuildInputs, 'builder' | 'args' | 'files' | 'bases' | 'secrets'> & { parents: { reference: string; imageId: string }[] },
): string | undefined {
  const kept = digestsFileOf(plan.task.root, `${plan.task.project}:${plan.task.target}`);
  loadDigests(kept);
  const { options } = plan;
  const digest = inputDigest({
    ...sent,
    dockerfile: plan.sentDockerfile,
    target: options.target,
    platform: options.platform,
    network: options.network,
    labels: plan.settings.labels,
    contextDir: plan.contextDir,
    parents: sent.parents.map((p) => ({ reference: p.reference, imageId: p.imageId })),
  });
  try {
    saveDigests(
      kept,
      sent.files.map((f) => join(plan.contextDir, f)),
    );
  } catch {
    // A read-only data directory: the next build reads the files again, nothing else depends on it.
  }
  return digest;
}
