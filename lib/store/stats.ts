/** Backlog counts and the long-poll for "a card became ready". */
import { and, eq, sql } from 'drizzle-orm';
import type { BacklogStats, WaitInput, WaitResult } from './contract.js';
import type { StoreContext } from './context.js';
import { CARD_ORDER, depsDone, eligible, forClass, readyNow } from './queries.js';
import { cards } from './schema.js';

const toNumber = (v: unknown): number => Number(v);
const countWhere = (cond: ReturnType<typeof sql>) =>
  sql<number>`count(*) filter (where ${cond})`.mapWith(toNumber);

export async function backlogStats(ctx: StoreContext): Promise<BacklogStats> {
  const is = (s: string) => sql`${cards.status} = ${s}`;
  const [row] = await ctx.db
    .select({
      ready: countWhere(is('ready')),
      claimed: countWhere(is('claimed')),
      review: countWhere(is('review')),
      blocked: countWhere(is('blocked')),
      done: countWhere(is('done')),
      eligible: countWhere(sql`${is('ready')} and ${depsDone(ctx.db)}`),
      expired: countWhere(sql`${is('claimed')} and ${cards.leaseExpiresAt} <= now()`),
      oldestReady: sql<
        number | null
      >`extract(epoch from now() - min(${cards.statusChangedAt}) filter (where ${is('ready')}))`.mapWith(
        toNumber,
      ),
    })
    .from(cards)
    .where(eq(cards.tenantId, ctx.tenantId));
  const r = row!;
  const counts = {
    ready: r.ready,
    claimed: r.claimed,
    review: r.review,
    blocked: r.blocked,
    done: r.done,
  };
  return {
    tenant_id: ctx.tenantId,
    host: ctx.host,
    counts,
    total: r.ready + r.claimed + r.review + r.blocked + r.done,
    ready_eligible: r.eligible,
    oldest_ready_age_seconds:
      r.oldestReady === null ? null : Math.max(0, Math.round(r.oldestReady)),
    expired_claims: r.expired,
  };
}

async function countEligible(ctx: StoreContext, cls?: string): Promise<number> {
  const [row] = await ctx.db
    .select({ n: sql<number>`count(*)`.mapWith(toNumber) })
    .from(cards)
    .where(and(eq(cards.tenantId, ctx.tenantId), readyNow(ctx.db), forClass(cls)));
  return row!.n;
}

/** Whether any card is claimable: stops at the first one, unlike a count. */
async function anyEligible(ctx: StoreContext, cls?: string): Promise<boolean> {
  const rows = await ctx.db
    .select({ id: cards.id })
    .from(cards)
    .where(eligible(ctx.db, ctx.tenantId, cls))
    .orderBy(...CARD_ORDER)
    .limit(1);
  return rows.length > 0;
}

/**
 * Wait until a card is claimable (for `class`, when given), at most `timeout_ms`. Wakes on the
 * ready signal and, as a safety net should a notification be missed, re-checks every few
 * seconds.
 */
export async function waitReady(
  ctx: StoreContext,
  input: WaitInput,
  abort?: AbortSignal,
): Promise<WaitResult> {
  const deadline = Date.now() + input.timeout_ms;
  for (;;) {
    const remaining = deadline - Date.now();
    const next = ctx.signal.next(ctx.tenantId, Math.min(remaining, 5000), abort);
    const ready = await anyEligible(ctx, input.class);
    if (ready || remaining <= 0 || abort?.aborted) {
      next.cancel();
      return { ready, ready_eligible: ready ? await countEligible(ctx, input.class) : 0 };
    }
    await next.promise;
  }
}
