import type { CardView, CreateCardInput, UpdateCardInput } from '../store/contract.js';
import { priorityValue, type Goal, type NorthStar } from './schema.js';

/** goal id = card id; the idempotency key ties the card to its goal across re-plans. */
const goalKey = (id: string) => `northstar:${id}`;

function cardForGoal(g: Goal): CreateCardInput {
  return {
    id: g.id,
    title: g.title,
    body: g.body ?? '',
    phase: String(g.phase),
    priority: priorityValue(g.priority),
    assignee_class: g.assignee_class,
    depends_on: g.depends_on,
    acceptance: g.acceptance ?? { criteria: [] },
    projected_spend: g.projected_spend,
    idempotency_key: goalKey(g.id),
    actor: 'planner',
  };
}

export type PlanOp =
  | { op: 'create'; input: CreateCardInput }
  | { op: 'update'; input: UpdateCardInput }
  | { op: 'link'; id: string; depends_on: string }
  | { op: 'unlink'; id: string; depends_on: string };

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * What it takes to make the backlog match the goals. Pure and idempotent: applied once, a
 * second plan over the result is empty. Cards are created in dependency order so every
 * depends_on already exists. Cards no longer in the YAML are left alone (never deleted).
 */
export function planOps(ns: NorthStar, existing: ReadonlyMap<string, CardView>): PlanOp[] {
  const ops: PlanOp[] = [];
  for (const g of topoOrder(ns.goals)) {
    const want = cardForGoal(g);
    const have = existing.get(g.id);
    if (!have) {
      ops.push({ op: 'create', input: want });
      continue;
    }
    const patch: UpdateCardInput = { id: g.id, actor: 'planner' };
    if (have.title !== want.title) patch.title = want.title;
    if (have.body !== want.body) patch.body = want.body;
    if (have.phase !== want.phase) patch.phase = want.phase;
    if (have.priority !== want.priority) patch.priority = want.priority;
    if (have.assignee_class !== (want.assignee_class ?? null))
      patch.assignee_class = want.assignee_class ?? null;
    if (!same(have.acceptance, want.acceptance)) patch.acceptance = want.acceptance;
    if (have.projected_spend !== (want.projected_spend ?? null))
      patch.projected_spend = want.projected_spend ?? null;
    if (Object.keys(patch).length > 2) ops.push({ op: 'update', input: patch });
    const wantDeps = new Set(g.depends_on);
    for (const d of g.depends_on)
      if (!have.depends_on.includes(d)) ops.push({ op: 'link', id: g.id, depends_on: d });
    for (const d of have.depends_on)
      if (!wantDeps.has(d)) ops.push({ op: 'unlink', id: g.id, depends_on: d });
  }
  return ops;
}

/** Goals with every dependency before its dependants; input order otherwise. Assumes a DAG. */
export function topoOrder(goals: readonly Goal[]): Goal[] {
  const byId = new Map(goals.map((g) => [g.id, g]));
  const done = new Set<string>();
  const out: Goal[] = [];
  const visit = (g: Goal) => {
    if (done.has(g.id)) return;
    done.add(g.id);
    for (const d of g.depends_on) {
      const dep = byId.get(d);
      if (dep) visit(dep);
    }
    out.push(g);
  };
  goals.forEach(visit);
  return out;
}
