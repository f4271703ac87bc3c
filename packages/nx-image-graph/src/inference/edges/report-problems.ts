import type { GraphProblem } from './resolve-image-graph';

/** How many names a grouped notice lists before it counts the rest. */
const LISTED = 5;

/**
 * The problems as the user reads them: one message each, except the images outside the manifests
 * that sit on a workspace repository under a tag no build makes (a tree adopted in part: rocker's
 * 200 Dockerfiles, a few with manifests). Those are one notice with their count and the two ways
 * out; each of them still fails with its own message when it is run.
 */
export function problemNotices(problems: { message: string; group?: GraphProblem['group']; roots?: string[] }[]): string[] {
  const grouped = problems.filter((p) => p.group?.kind === 'unadopted-tag');
  if (grouped.length < 2) return problems.map((p) => p.message);
  const roots = [...new Set(grouped.flatMap((p) => p.roots ?? []))].sort();
  const references = [...new Set(grouped.map((p) => p.group!.reference))].sort();
  const notice =
    `${roots.length} images without a manifest cannot be built: they are built on repositories the workspace builds, under tags no build of it makes ` +
    `(${listed(references)}), or on such images: ${listed(roots)}. ` +
    `This happens when manifests cover only part of a tree. To build them on the published images, give each an image.json listing those references in "external"; ` +
    `to leave them out, narrow the plugin's "include" (or add "exclude") in nx.json. Running one of them names its Dockerfile line.`;
  return [...problems.filter((p) => p.group?.kind !== 'unadopted-tag').map((p) => p.message), notice];
}

function listed(items: string[]): string {
  return items.length > LISTED ? `${items.slice(0, LISTED).join(', ')} and ${items.length - LISTED} more` : items.join(', ');
}
