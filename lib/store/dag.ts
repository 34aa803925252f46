/**
 * Pure rules over the dependency DAG. An edge `[card, dependsOn]` means card waits for
 * dependsOn. Adding `from -> to` closes a cycle exactly when `to` already reaches `from`.
 */
export type Edge = readonly [card: string, dependsOn: string];

/**
 * The cycle the new edge `from -> to` would create, named from `from` back to itself
 * (e.g. `['A', 'B', 'C', 'A']`), or null when the edge keeps the graph acyclic.
 * Breadth-first, so the cycle reported is a shortest one.
 */
export function cycleIfLinked(edges: Iterable<Edge>, from: string, to: string): string[] | null {
  if (from === to) return [from, from];
  const out = new Map<string, string[]>();
  for (const [card, dep] of edges) {
    const list = out.get(card);
    if (list) list.push(dep);
    else out.set(card, [dep]);
  }
  const parent = new Map<string, string>([[to, to]]);
  const queue = [to];
  for (let i = 0; i < queue.length; i++) {
    const node = queue[i]!;
    if (node === from) return [from, ...pathTo(parent, to, from)];
    for (const next of out.get(node) ?? []) {
      if (!parent.has(next)) {
        parent.set(next, node);
        queue.push(next);
      }
    }
  }
  return null;
}

function pathTo(parent: Map<string, string>, start: string, end: string): string[] {
  const path = [end];
  for (let node = end; node !== start;) {
    node = parent.get(node)!;
    path.push(node);
  }
  return path.reverse();
}

/** Ids in `wanted` that are not in `known`, in the order given, without repeats. */
export function missingIds(wanted: readonly string[], known: ReadonlySet<string>): string[] {
  return [...new Set(wanted.filter((id) => !known.has(id)))];
}
