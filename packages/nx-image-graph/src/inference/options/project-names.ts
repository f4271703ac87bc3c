/**
 * How default project names are made:
 * - `derived` (default): the path below the top-level directory (`images/stages/cpu/demux` -> `stages-cpu-demux`),
 *   as Nx's own derived names drop `apps/` or `libs/`; it depends on the directory's own path only.
 * - `directory`: the directory's name, lengthened on a clash (the default before 0.3.0; short, but another
 *   directory of the same name renames it).
 * - `path`: the whole path.
 */
export type ProjectNameStyle = 'derived' | 'directory' | 'path';
export const PROJECT_NAME_STYLES = ['derived', 'directory', 'path'] as const satisfies readonly ProjectNameStyle[];
export const DEFAULT_PROJECT_NAME_STYLE: ProjectNameStyle = 'derived';

export interface ProjectNames {
  names: Map<string, string>;
  /** Undeclared names lengthened past their style's length because another directory shares it. */
  lengthened: { root: string; name: string; directory: string; style: ProjectNameStyle; short: string; projectAt?: string }[];
}

/**
 * Project names: the manifest's name, else the style's name for the directory; where two
 * undeclared names meet (`cpu/python`, `gpu/python` under `directory`), parent segments are
 * added until each is unique (`cpu-python`, `gpu-python`). The same tree always gives the same
 * names, but then a directory added elsewhere lengthened a name: `lengthened` says which, so
 * the graph can tell the user. Under `derived` that takes two top-level directories holding the
 * same path (`images/x`, `docker/x`); under `path` it cannot happen.
 */
export function projectNames(
  dirs: { root: string; declaredName?: string; namePath?: string }[],
  style: ProjectNameStyle = DEFAULT_PROJECT_NAME_STYLE,
  reserved: ReadonlyMap<string, string> = new Map(),
): ProjectNames {
  const names = new Map<string, string>();
  // The workspace's other projects keep their names: Nx refuses a graph where two projects share one.
  const taken = new Set([...dirs.flatMap((d) => (d.declaredName ? [d.declaredName] : [])), ...reserved.keys()]);
  for (const d of dirs) if (d.declaredName) names.set(d.root, d.declaredName);

  const pending = dirs
    .filter((d) => !d.declaredName)
    .map((d) => {
      const segments = segmentsOf(d.namePath ?? d.root);
      const depth = style === 'path' ? segments.length : style === 'derived' ? Math.max(1, segments.length - 1) : 1;
      return { root: d.root, segments, depth, initial: depth };
    });
  const nameOf = (p: { segments: string[]; depth: number }) => p.segments.slice(-p.depth).join('-');
  // Lengthen every name in a colliding group until no two collide, nor clash with a declared name.
  for (let guard = 0; guard < 64; guard++) {
    const counts = new Map<string, number>();
    for (const p of pending) counts.set(nameOf(p), (counts.get(nameOf(p)) ?? 0) + 1);
    let changed = false;
    for (const p of pending) {
      const n = nameOf(p);
      if ((counts.get(n)! > 1 || taken.has(n)) && p.depth < p.segments.length) {
        p.depth++;
        changed = true;
      }
    }
    if (!changed) break;
  }
  for (const p of pending) names.set(p.root, nameOf(p) || 'workspace-root-image');
  const lengthened = pending
    .filter((p) => p.depth > p.initial)
    .map((p) => {
      const short = nameOf({ segments: p.segments, depth: p.initial });
      return {
        root: p.root,
        name: nameOf(p),
        directory: p.segments[p.segments.length - 1],
        style,
        short,
        ...(reserved.has(short) ? { projectAt: reserved.get(short) } : {}),
      };
    });
  return { names, lengthened };
}

/** The names alone (generators). */
export function assignProjectNames(
  dirs: { root: string; declaredName?: string }[],
  style: ProjectNameStyle = DEFAULT_PROJECT_NAME_STYLE,
): Map<string, string> {
  return projectNames(dirs, style).names;
}

/**
 * One warning per group of directories sharing a name: their default names depend on which other
 * directories exist (`desktop` becomes `v2-ubuntu-jammy-desktop` once `v3/.../desktop` appears),
 * so CI scripts naming them break when the tree grows. Pinning is the user's call: say how.
 */
export function lengthenedNameWarnings(
  lengthened: ProjectNames['lengthened'],
  configOf: (root: string) => string,
): { file: string; message: string }[] {
  const groups = new Map<string, ProjectNames['lengthened']>();
  for (const l of lengthened) groups.set(l.short, [...(groups.get(l.short) ?? []), l]);
  return [...groups].map(([short, members]) =>
    members[0].projectAt
      ? {
          file: configOf(members[0].root),
          message:
            `${describe(members)}: the default project name "${short}" is the name of the project at ${members[0].projectAt}, so the image's name was lengthened. ` +
            `Pin it with a "name" in its image.json, or put the Dockerfile in ${members[0].projectAt} to make it an image of that project.`,
        }
      : {
          file: configOf(members[0].root),
          message: [
            members[0].style === 'directory'
              ? `${members.length} image directories are named "${members[0].directory}", so their default project names were lengthened: ${describe(members)}.`
              : `${members.length} image directories would both be named "${short}" (the path below their top-level directory), so their default project names were lengthened: ${describe(members)}.`,
            `Such names change when directories of that name are added or removed. Pin them with a "name" in each image.json, or set the plugin option "projectNames": "path" in nx.json (every default name is then the directory's whole path).`,
          ].join('\n'),
        },
  );
}

function describe(members: ProjectNames['lengthened']): string {
  return members.map((m) => `${m.root} -> ${m.name}`).join(', ');
}

function segmentsOf(root: string): string[] {
  return root === '.' || root === ''
    ? ['root-image']
    : root
        .split('/')
        .map((s) => s.toLowerCase().replace(/[^a-z0-9_.-]+/g, '-'))
        .filter(Boolean);
}
