import { splitReference } from '../../inference/references/registry-reference';

/** The layers one repository of a registry received in a run: each layer once, whatever the number of tags. */
export interface LayerCount {
  repository: string;
  layers: number;
  uploaded: number;
  existing: number;
}

/**
 * Counts pushed layers per repository (an image in one registry), not per reference: the second
 * tag of an image finds every layer "already there" because the first tag just uploaded it, and
 * summing over tags said "1 layers uploaded, 4 already there" of a 2-layer image. A layer uploaded
 * under any tag counts as uploaded.
 */
export function layerCounts(results: { reference: string; uploaded: string[]; existing: string[] }[]): LayerCount[] {
  const byRepository = new Map<string, { uploaded: Set<string>; seen: Set<string> }>();
  for (const r of results) {
    const { repo } = splitReference(r.reference);
    const entry = byRepository.get(repo) ?? { uploaded: new Set<string>(), seen: new Set<string>() };
    byRepository.set(repo, entry);
    for (const id of r.uploaded) entry.uploaded.add(id);
    for (const id of [...r.uploaded, ...r.existing]) entry.seen.add(id);
  }
  return [...byRepository].map(([repository, { uploaded, seen }]) => ({
    repository,
    layers: seen.size,
    uploaded: uploaded.size,
    existing: seen.size - uploaded.size,
  }));
}

/** `127.0.0.1:5000/acme/x: 2 layers: 1 uploaded, 1 already there` */
export function formatLayerCount(c: LayerCount): string {
  return `${c.repository}: ${c.layers} layers: ${c.uploaded} uploaded, ${c.existing} already there`;
}
