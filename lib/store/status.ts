/** Operator status changes: block, unblock, and board moves (only the legal ones). */
import { sql } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import type { BlockInput, CardStatusValue, CardView, MoveInput, UnblockInput } from './contract.js';
import { mutate, recordEvent, type StoreContext } from './context.js';
import type { Tx } from './db.js';
import { IllegalTransition } from './errors.js';
import { planMove, type MoveAction } from './moves.js';
import { cardKey } from './queries.js';
import { cards, type CardEventKind } from './schema.js';
import { loadDeps, lockCard, oneCardView } from './view.js';

const now = sql`now()`;
type CardUpdate = PgUpdateSetSource<typeof cards>;

const released: CardUpdate = {
  claimOwner: null,
  claimHost: null,
  claimedAt: null,
  leaseExpiresAt: null,
};

async function apply(
  tx: Tx,
  ctx: StoreContext,
  id: string,
  set: CardUpdate,
  event: { kind: CardEventKind; actor: string; detail: Record<string, unknown> },
): Promise<CardView> {
  const [row] = await tx
    .update(cards)
    .set({ ...set, statusChangedAt: now, updatedAt: now })
    .where(cardKey(ctx.tenantId, id))
    .returning();
  await recordEvent(tx, ctx, id, event.kind, event.actor, event.detail);
  return oneCardView(tx, row!);
}

const toBlocked = (reason: string): CardUpdate => ({
  status: 'blocked',
  blockedReason: reason,
  ...released,
});
const toReady = (resetAttempts: boolean): CardUpdate => ({
  status: 'ready',
  blockedReason: null,
  ...released,
  ...(resetAttempts ? { attempts: 0 } : {}),
});

/** Park a ready or claimed card (a claim is dropped: its holder's fence stops working). */
export function blockCard(ctx: StoreContext, input: BlockInput): Promise<CardView> {
  return mutate(ctx, false, async (tx) => {
    const cur = await lockCard(tx, ctx.tenantId, input.id);
    if (cur.status === 'done')
      throw new IllegalTransition(input.id, 'is done; a done card cannot be blocked');
    return apply(tx, ctx, input.id, toBlocked(input.reason), {
      kind: 'blocked',
      actor: input.actor ?? 'api',
      detail: { from: cur.status, reason: input.reason, fence: cur.fence },
    });
  });
}

/** Blocked back to ready, with its attempts counted afresh. */
export function unblockCard(ctx: StoreContext, input: UnblockInput): Promise<CardView> {
  return mutate(ctx, true, async (tx) => {
    const cur = await lockCard(tx, ctx.tenantId, input.id);
    if (cur.status !== 'blocked')
      throw new IllegalTransition(input.id, `is ${cur.status}, not blocked`);
    return apply(tx, ctx, input.id, toReady(true), {
      kind: 'unblocked',
      actor: input.actor ?? 'api',
      detail: { previous_attempts: cur.attempts, previous_reason: cur.blockedReason },
    });
  });
}

function moveUpdate(action: Exclude<MoveAction, 'noop'>, reason: string): CardUpdate {
  switch (action) {
    case 'block':
      return toBlocked(reason);
    case 'unblock':
      return toReady(true);
    case 'release':
      return toReady(false);
    case 'close':
      return { status: 'done', leaseExpiresAt: null, blockedReason: null, doneAt: now };
  }
}

/** A board move: only the changes planMove allows, each recorded as `moved`. */
export function moveCard(ctx: StoreContext, input: MoveInput): Promise<CardView> {
  const wakes = (to: CardStatusValue) => to === 'ready' || to === 'done';
  return mutate(
    ctx,
    (card) => wakes(card.status),
    async (tx) => {
      const cur = await lockCard(tx, ctx.tenantId, input.id);
      const waiting = (await loadDeps(tx, ctx.tenantId, [input.id])).get(input.id)?.waitingOn ?? [];
      const plan = planMove(cur.status, input.to, waiting);
      if (!plan.ok)
        throw new IllegalTransition(
          input.id,
          `${cur.status} -> ${input.to} refused: ${plan.reason}`,
        );
      if (plan.action === 'noop') return oneCardView(tx, cur);
      const actor = input.actor ?? 'api';
      const reason = input.reason ?? `moved to ${input.to} by ${actor}`;
      return apply(tx, ctx, input.id, moveUpdate(plan.action, reason), {
        kind: 'moved',
        actor,
        detail: {
          from: cur.status,
          to: input.to,
          action: plan.action,
          fence: cur.fence,
          ...(input.reason ? { reason } : {}),
        },
      });
    },
  );
}
