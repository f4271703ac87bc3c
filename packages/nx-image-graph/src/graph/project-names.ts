/** How default project names are made: the directory's name, lengthened on a clash, or its whole path. */
export type ProjectNameStyle = 'directory' | 'path';

export interface ProjectNames {
  names: Map<string, string>;
  /** Undeclared names lengthened past the directory's own name because another directory shares it. */
  lengthened: { root: string; name: string; directory: string }[];
}

/**
 * Project names: the manifest's name, else the directory's; where directories share a
 * basename (`cpu/python`, `gpu/python`), parent segments are added until each is unique
 * (`cpu-python`, `gpu-python`). The same tree always gives the same names, but a directory
 * added elsewhere can lengthen a name: `lengthened` says which, so the graph can tell the user.
 * With `path`, every undeclared name is the directory's whole path, which nothing else changes.
 */
export function projectNames(dirs: { root: string; declaredName?: string }[], style: ProjectNameStyle = 'directory'): ProjectNames {
  const names = new Map<string, string>();
  const taken = new Set(dirs.flatMap((d) => (d.declaredName ? [d.declaredName] : [])));
  for (const d of dirs) if (d.declaredName) names.set(d.root, d.declaredName);

  const pending = dirs.filter((d) => !d.declaredName).map((d) => {
    const segments = segmentsOf(d.root);
    return { root: d.root, segments, depth: style === 'path' ? segments.length : 1 };
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
  const lengthened = style === 'path' ? [] : pending.filter((p) => p.depth > 1).map((p) => ({ root: p.root, name: nameOf(p), directory: p.segments[p.segments.length - 1] }));
  return { names, lengthened };
}

/** The names alone (generators). */
export function assignProjectNames(dirs: { root: string; declaredName?: string }[], style: ProjectNameStyle = 'directory'): Map<string, string> {
  return projectNames(dirs, style).names;
}

/**
 * One warning per group of directories sharing a name: their default names depend on which other
 * directories exist (`desktop` becomes `v2-ubuntu-jammy-desktop` once `v3/.../desktop` appears),
 * so CI scripts naming them break when the tree grows. Pinning is the user's call: say how.
 */
export function lengthenedNameWarnings(lengthened: ProjectNames['lengthened'], configOf: (root: string) => string): { file: string; message: string }[] {
  const groups = new Map<string, ProjectNames['lengthened']>();
  for (const l of lengthened) groups.set(l.directory, [...(groups.get(l.directory) ?? []), l]);
  return [...groups].map(([directory, members]) => ({
    file: configOf(members[0].root),
    message: [
      `${members.length} image directories are named "${directory}", so their default project names were lengthened: ${members.map((m) => `${m.root} -> ${m.name}`).join(', ')}.`,
      `Such names change when directories of that name are added or removed. Pin them with a "name" in each image.json, or set the plugin option "projectNames": "path" in nx.json (every default name is then the directory's whole path).`,
    ].join('\n'),
  }));
}

function segmentsOf(root: string): string[] {
  return root === '.' || root === '' ? ['root-image'] : root.split('/').map((s) => s.toLowerCase().replace(/[^a-z0-9_.-]+/g, '-')).filter(Boolean);
}
