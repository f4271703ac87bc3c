import type { InferredImageProject } from './infer-image-projects';
import { METADATA_KEY } from '../../core/nx/metadata-key';

/**
 * Nx refuses the whole graph (with a stack trace) when two projects share a name. Two manifests
 * with one "name" are already reported, and the second fails its build with that message; here
 * every project after the first of a name is named after its directory instead, so the graph
 * loads and the first keeps the name it asked for.
 */
export function separateSharedNames<T extends { projects: InferredImageProject[] }>(result: T): T {
  const seen = new Set<string>();
  const all = new Set(result.projects.map((p) => p.project.name).filter((n): n is string => !!n));
  for (const p of [...result.projects].sort((a, b) => Number(isBroken(a)) - Number(isBroken(b)) || a.root.localeCompare(b.root))) {
    const name = p.project.name;
    if (!name) continue;
    if (!seen.has(name)) {
      seen.add(name);
      continue;
    }
    let other = p.root.replace(/[^A-Za-z0-9_.-]+/g, '-');
    for (let i = 2; all.has(other) || seen.has(other); i++) other = `${p.root.replace(/[^A-Za-z0-9_.-]+/g, '-')}-${i}`;
    p.project.name = other;
    const meta = p.project.metadata?.[METADATA_KEY] as { project?: string } | undefined;
    if (meta) meta.project = other;
    seen.add(other);
  }
  return result;
}

/** A project whose build only reports its problem: it gives the name up first. */
function isBroken(p: InferredImageProject): boolean {
  return Object.values(p.project.targets ?? {}).some((t) => t.executor?.endsWith(':invalid'));
}
