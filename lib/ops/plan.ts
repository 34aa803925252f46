/**
 * Goals → cards, one home for `fleet plan` (through fleetd's socket) and fleetd's own watch of
 * NORTH_STAR.yaml (the supervisor, in process): the pure plan of lib/northstar/plan.ts applied
 * to a backlog, idempotently — applied twice, the second changes nothing.
 */
import type { NorthStar } from '../northstar/schema.js';
import { planOps, type PlanOp } from '../northstar/plan.js';
import type { CardView, CreateCardInput, LinkInput, UpdateCardInput } from '../store/contract.js';

/** The backlog as the plan needs it; the socket client and the in-process service both fit. */
export interface PlanTarget {
  cards(): Promise<CardView[]>;
  create(i: CreateCardInput): Promise<unknown>;
  update(i: UpdateCardInput): Promise<unknown>;
  link(i: LinkInput): Promise<unknown>;
  unlink(i: LinkInput): Promise<unknown>;
}

export interface PlanSummary {
  goals: number;
  created: number;
  updated: number;
  linked: number;
  unlinked: number;
  dry_run: boolean;
}

export async function applyNorthStar(
  target: PlanTarget,
  ns: NorthStar,
  opts: { dryRun?: boolean } = {},
): Promise<PlanSummary & { ops: PlanOp[] }> {
  const cards = await target.cards();
  const ops = planOps(ns, new Map(cards.map((c) => [c.id, c])));
  if (!opts.dryRun) {
    for (const o of ops) {
      if (o.op === 'create') await target.create(o.input);
      else if (o.op === 'update') await target.update(o.input);
      else if (o.op === 'link')
        await target.link({ id: o.id, depends_on: o.depends_on, actor: 'planner' });
      else await target.unlink({ id: o.id, depends_on: o.depends_on, actor: 'planner' });
    }
  }
  const count = (k: PlanOp['op']) => ops.filter((o) => o.op === k).length;
  return {
    goals: ns.goals.length,
    created: count('create'),
    updated: count('update'),
    linked: count('link'),
    unlinked: count('unlink'),
    dry_run: Boolean(opts.dryRun),
    ops,
  };
}

export const planLine = (s: PlanSummary): string =>
  `${s.dry_run ? 'would plan' : 'planned'} ${s.goals} goals: ${s.created} created, ${s.updated} updated, ${s.linked} linked, ${s.unlinked} unlinked`;
