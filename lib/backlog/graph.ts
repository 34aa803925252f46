/**
 * The backlog as a dependency graph (the panel's graph view): its edges and its critical path.
 * Pure; the layout is the graph library's (components/backlog/dag-graph.tsx).
 */
export interface GraphCard {
  id: string;
  status: string;
  depends_on: readonly string[];
}

/** `from` must be done before `to` can be worked: one edge per dependency between known cards. */
export function graphEdges(cards: readonly GraphCard[]): { from: string; to: string }[] {
  const known = new Set(cards.map((c) => c.id));
  return cards.flatMap((c) =>
    c.depends_on.filter((d) => known.has(d)).map((d) => ({ from: d, to: c.id })),
  );
}

/**
 * The longest chain of cards not yet done, following dependencies: what bounds how soon the
 * backlog can be finished whatever the number of agents. Ties go to the chain ending at the
 * card first in `cards` order. Empty when every card is done. The store keeps the graph acyclic;
 * a cycle met here anyway is cut where it closes.
 */
export function criticalPath(cards: readonly GraphCard[]): string[] {
  const byId = new Map(cards.map((c) => [c.id, c]));
  const best = new Map<string, { length: number; prev: string | null }>();
  const visiting = new Set<string>();
  const weight = (c: GraphCard) => (c.status === 'done' ? 0 : 1);
  const visit = (id: string): { length: number; prev: string | null } => {
    const known = best.get(id);
    if (known) return known;
    const card = byId.get(id)!;
    visiting.add(id);
    let top: { length: number; prev: string | null } = { length: 0, prev: null };
    for (const d of card.depends_on) {
      if (!byId.has(d) || visiting.has(d)) continue;
      const r = visit(d);
      if (r.length > top.length) top = { length: r.length, prev: d };
    }
    visiting.delete(id);
    const r = { length: top.length + weight(card), prev: top.prev };
    best.set(id, r);
    return r;
  };
  let end: string | null = null;
  let longest = 0;
  for (const c of cards) {
    const r = visit(c.id);
    if (r.length > longest) {
      longest = r.length;
      end = c.id;
    }
  }
  const path: string[] = [];
  for (let at = end; at !== null; at = best.get(at)!.prev) {
    if (byId.get(at)!.status !== 'done') path.push(at);
  }
  return path.reverse();
}
