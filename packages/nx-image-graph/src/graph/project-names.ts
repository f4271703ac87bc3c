/**
 * Project names: the manifest's name, else the directory's; where directories share a
 * basename (`cpu/python`, `gpu/python`), parent segments are added until each is unique
 * (`cpu-python`, `gpu-python`). The same tree always gives the same names.
 */
export function assignProjectNames(dirs: { root: string; declaredName?: string }[]): Map<string, string> {
  const names = new Map<string, string>();
  const taken = new Set(dirs.flatMap((d) => (d.declaredName ? [d.declaredName] : [])));
  for (const d of dirs) if (d.declaredName) names.set(d.root, d.declaredName);

  const pending = dirs.filter((d) => !d.declaredName).map((d) => ({ root: d.root, segments: segmentsOf(d.root), depth: 1 }));
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
  return names;
}

function segmentsOf(root: string): string[] {
  return root === '.' || root === '' ? ['root-image'] : root.split('/').map((s) => s.toLowerCase().replace(/[^a-z0-9_.-]+/g, '-')).filter(Boolean);
}
