import type { ProjectGraph } from '@nx/devkit';
import { engineAddress } from '../../clients/engine/engine-address';
import { InspectedImage, inspectImages } from '../../clients/engine/engine-images';
import { METADATA_KEY } from '../../core/nx/metadata-key';
import { readLock } from '../../inference/lock/lock-file';
import { BaseIdInput, platformEnvName } from '../../core/nx/base-id-names';

/**
 * The value of every base-id variable the graph's builds name (base-id-names.ts), for the hook to
 * set before Nx hashes: `<reference>=<image id in the engine>`, or what stands for it: `absent`,
 * `locked` (pinned in images.lock.json, whose entry the build hashes instead), `engine-unavailable`,
 * `not-local-for-<platform>` (the engine's one image per tag is another platform's; BuildKit pulls
 * that platform's at build time). A platform build's value starts with `platform=<platform>`.
 */
export async function baseIdEnv(graph: ProjectGraph, workspaceRoot: string, env: NodeJS.ProcessEnv): Promise<Record<string, string>> {
  const wanted = new Map<string, BaseIdInput>();
  const out: Record<string, string> = {};
  for (const node of Object.values(graph.nodes)) {
    const m = node.data.metadata?.[METADATA_KEY] as { baseIds?: BaseIdInput[]; platforms?: string[] } | undefined;
    for (const b of m?.baseIds ?? []) wanted.set(b.env, b);
    for (const p of m?.platforms ?? []) out[platformEnvName(p)] = p;
  }
  if (wanted.size === 0) return out;
  const locked = lockedReferences(workspaceRoot);
  const toInspect = [...new Set([...wanted.values()].map((b) => b.reference).filter((r) => !locked.has(r)))];
  const images = toInspect.length ? await inspectAll(toInspect, env) : new Map<string, InspectedImage | undefined>();
  for (const [name, b] of wanted) {
    const value = locked.has(b.reference) ? 'locked' : valueOf(images, b);
    out[name] = `${b.platform ? `platform=${b.platform}\n` : ''}${b.reference}=${value}`;
  }
  return out;
}

function valueOf(images: Map<string, InspectedImage | undefined> | 'engine-unavailable', b: BaseIdInput): string {
  if (images === 'engine-unavailable') return 'engine-unavailable';
  const image = images.get(b.reference);
  if (!image) return 'absent';
  if (b.platform) {
    const [os, arch] = b.platform.split('/');
    if (image.os !== os || image.arch !== arch) return `not-local-for-${b.platform}`;
  }
  return image.id;
}

/** Plain HTTP first; an engine only the full client reaches (ssh://) through it. */
async function inspectAll(
  references: string[],
  env: NodeJS.ProcessEnv,
): Promise<Map<string, InspectedImage | undefined> | 'engine-unavailable'> {
  let address;
  try {
    address = engineAddress(env);
  } catch {
    return 'engine-unavailable';
  }
  const plain = await inspectImages(address, references);
  if (plain) return plain;
  try {
    const { connectEngine } = await import('../../clients/engine/engine-client');
    const { docker } = await connectEngine(env, 3000);
    const images = await Promise.all(
      references.map((r) =>
        docker
          .getImage(r)
          .inspect()
          .then(
            (i) => ({ id: i.Id, os: i.Os, arch: i.Architecture }),
            () => undefined,
          ),
      ),
    );
    return new Map(references.map((r, i) => [r, images[i]]));
  } catch {
    return 'engine-unavailable';
  }
}

/** References pinned in images.lock.json: their lock entry is in the build's hash instead. A bad lock fails the builds themselves, with its error. */
function lockedReferences(workspaceRoot: string): Set<string> {
  try {
    return new Set(readLock(workspaceRoot)?.keys() ?? []);
  } catch {
    return new Set();
  }
}
