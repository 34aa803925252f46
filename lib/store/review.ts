/**
 * The review states of a repository card (docs/review.md): submitted for review instead of
 * done, approved, returned to its author, merged. Each is one transaction that checks the status
 * it expects, so two answers to one review cannot both win; every change is a card event.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import type { ReviewRecord } from '../review/contract.js';
import type { CardView, CompleteInput } from './contract.js';
import { mutate, recordEvent, type StoreContext } from './context.js';
import type { Tx } from './db.js';
import { FenceMismatch, IllegalTransition } from './errors.js';
import { cardKey } from './queries.js';
import { cards, type CardEventKind } from './schema.js';
import { lockCard, oneCardView } from './view.js';

const now = sql`now()`;
const released = {
  claimOwner: null,
  claimHost: null,
  claimedAt: null,
  leaseExpiresAt: null,
} as const;

type Row = typeof cards.$inferSelect;

async function expect(
  tx: Tx,
  ctx: StoreContext,
  id: string,
  status: Row['status'],
  what: string,
): Promise<Row> {
  const cur = await lockCard(tx, ctx.tenantId, id);
  if (cur.status !== status) throw new IllegalTransition(id, `is ${cur.status}, ${what}`);
  return cur;
}

async function write(
  tx: Tx,
  ctx: StoreContext,
  id: string,
  set: PgUpdateSetSource<typeof cards>,
  event: { kind: CardEventKind; actor: string; detail: Record<string, unknown> },
): Promise<CardView> {
  const [row] = await tx
    .update(cards)
    .set({ ...set, updatedAt: now })
    .where(cardKey(ctx.tenantId, id))
    .returning();
  await recordEvent(tx, ctx, id, event.kind, event.actor, event.detail);
  return oneCardView(tx, row!);
}

/** The holder reports a repo card done: it goes to review, its claim released, not to done. */
export function submitCard(
  ctx: StoreContext,
  input: CompleteInput,
  review: ReviewRecord,
): Promise<CardView> {
  return mutate(ctx, false, async (tx) => {
    const cur = await lockCard(tx, ctx.tenantId, input.id);
    if (cur.status !== 'claimed' || cur.claimOwner !== input.owner || cur.fence !== input.fence)
      throw new FenceMismatch(input.id, input, {
        status: cur.status,
        owner: cur.claimOwner,
        fence: cur.fence,
      });
    return write(
      tx,
      ctx,
      input.id,
      {
        status: 'review',
        review,
        assignee: null,
        waitReason: null,
        lastError: null,
        ...released,
        statusChangedAt: now,
        ...(input.actual_spend === undefined ? {} : { actualSpend: input.actual_spend }),
      },
      {
        kind: 'submitted',
        actor: input.owner,
        detail: { fence: cur.fence, round: review.round, author: review.author },
      },
    );
  });
}

/** Record an answer that keeps the card in review (the approval). */
export function setReview(
  ctx: StoreContext,
  id: string,
  update: (cur: ReviewRecord) => ReviewRecord,
  event: { kind: CardEventKind; actor: string; detail: Record<string, unknown> },
): Promise<CardView> {
  return mutate(ctx, false, async (tx) => {
    const cur = await expect(tx, ctx, id, 'review', 'not in review');
    return write(tx, ctx, id, { review: update(cur.review as unknown as ReviewRecord) }, event);
  });
}

/** Back to the author: ready again, only for that agent, with why in the review record. */
export function returnCard(
  ctx: StoreContext,
  id: string,
  update: (cur: ReviewRecord) => ReviewRecord,
  event: { actor: string; detail: Record<string, unknown> },
): Promise<CardView> {
  return mutate(ctx, true, async (tx) => {
    const cur = await expect(tx, ctx, id, 'review', 'not in review');
    const review = update(cur.review as unknown as ReviewRecord);
    return write(
      tx,
      ctx,
      id,
      {
        status: 'ready',
        review,
        assignee: review.author,
        lastError: review.returned?.text.slice(0, 4000) ?? null,
        statusChangedAt: now,
        ...released,
      },
      { kind: 'returned', actor: event.actor, detail: event.detail },
    );
  });
}

/** The merge gate landed it: done, and its dependents may become ready. */
export function mergedCard(
  ctx: StoreContext,
  id: string,
  update: (cur: ReviewRecord) => ReviewRecord,
  detail: Record<string, unknown>,
): Promise<CardView> {
  return mutate(ctx, true, async (tx) => {
    const cur = await expect(tx, ctx, id, 'review', 'not in review');
    return write(
      tx,
      ctx,
      id,
      {
        status: 'done',
        review: update(cur.review as unknown as ReviewRecord),
        doneAt: now,
        statusChangedAt: now,
      },
      { kind: 'merged', actor: 'merge-gate', detail },
    );
  });
}

/** Why a ready card waits (or null): no event, it is a view of the dispatcher's reasoning. */
export async function setWaitReason(
  ctx: StoreContext,
  id: string,
  reason: string | null,
): Promise<void> {
  await ctx.db
    .update(cards)
    .set({ waitReason: reason })
    .where(and(cardKey(ctx.tenantId, id), eq(cards.status, 'ready')));
}
