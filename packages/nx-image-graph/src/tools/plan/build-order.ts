/** Tasks parents first (then by id, so the order is stable); a task's parents are among `ids` or ignored. */
export function buildOrder(ids: string[], parentsOf: (id: string) => string[]): string[] {
  const all = new Set(ids);
  const done = new Set<string>();
  const order: string[] = [];
  const visit = (id: string, path: Set<string>) => {
    if (done.has(id) || path.has(id)) return;
    path.add(id);
    for (const p of [...parentsOf(id)].filter((p) => all.has(p)).sort()) visit(p, path);
    path.delete(id);
    done.add(id);
    order.push(id);
  };
  for (const id of [...ids].sort()) visit(id, new Set());
  return order;
}
