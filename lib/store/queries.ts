/** SQL fragments the backlog functions share. */
import { and, asc, desc, eq, isNull, ne, notExists, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Executor } from './db.js';
import { cardDeps, cards } from './schema.js';

const dep = alias(cards, 'dep');

/**
 * True for a card (the `cards` in the enclosing query) none of whose dependencies is still
 * open. Written against the enclosing `cards` so it works inside the claim subquery.
 *
 * `perRow` keeps the check a per-row filter (the OFFSET 0 stops PostgreSQL turning NOT EXISTS
 * into an anti-join), so a LIMIT 1 query walks cards_claim_order_idx in order and stops at the
 * first eligible card instead of checking and sorting every ready card (measured: 21 ms → 0.8 ms
 * per claim with 1,750 ready cards on PGlite).
 */
export function depsDone(ex: Executor, perRow = false): SQL {
  const open = ex
    .select({ one: sql`1` })
    .from(cardDeps)
    .innerJoin(dep, and(eq(dep.tenantId, cardDeps.tenantId), eq(dep.id, cardDeps.dependsOnId)))
    .where(
      and(
        eq(cardDeps.tenantId, cards.tenantId),
        eq(cardDeps.cardId, cards.id),
        ne(dep.status, 'done'),
      ),
    );
  return notExists(perRow ? open.offset(0) : open);
}

/**
 * Highest priority first, then oldest, then by id: the order claims take cards in
 * (cards_claim_order_idx) and every list of cards is shown in.
 */
export const CARD_ORDER = [desc(cards.priority), asc(cards.createdAt), asc(cards.id)] as const;

/** Cards an agent of `cls` may take: those for its class and those for any class. */
export function forClass(cls: string | undefined): SQL | undefined {
  return cls === undefined
    ? undefined
    : or(eq(cards.assigneeClass, cls), isNull(cards.assigneeClass));
}

/** A ready card none of whose dependencies is still open (`perRow`: see depsDone). */
export function readyNow(ex: Executor, perRow = false): SQL | undefined {
  return and(eq(cards.status, 'ready'), depsDone(ex, perRow));
}

/** Ready cards whose dependencies are all done: what a claim can take (checked row by row). */
export function eligible(ex: Executor, tenantId: string, cls?: string): SQL | undefined {
  return and(eq(cards.tenantId, tenantId), readyNow(ex, true), forClass(cls));
}

export function cardKey(tenantId: string, id: string): SQL | undefined {
  return and(eq(cards.tenantId, tenantId), eq(cards.id, id));
}
