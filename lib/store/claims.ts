/**
 * Claims: the lease-and-fence protocol. A claim takes one ready card whose dependencies are
 * done with `FOR UPDATE SKIP LOCKED` (the SQL that held up in docs/pitfalls.md "Store": 0 double
 * claims with 16 racers and a reaper), sets a lease and increments the card's fence.
 * renew/complete/fail succeed only for the current owner AND fence, so a holder whose lease was
 * reclaimed can never complete the card afterwards.
 */
import { and, eq, inArray, lte, sql } from 'drizzle-orm';
import {
  DEFAULT_TTL_SECONDS,
  type CardView,
  type ClaimInput,
  type CompleteInput,
  type FailInput,
  type ReclaimedCard,
  type ReclaimInput,
  type RenewInput,
} from './contract.js';
import { mutate, notifySql, recordEvent, single, type StoreContext } from './context.js';
import type { Executor } from './db.js';
import { CardNotFound, FenceMismatch, IllegalTransition } from './errors.js';
import { CARD_ORDER, cardKey, eligible } from './queries.js';
import { cardEvents, cards } from './schema.js';
import { fromRaw, textArray } from './raw.js';
import { cardView, findCard, loadDeps, oneCardView } from './view.js';

const now = sql`now()`;
const leaseFor = (ttl: number) => sql`now() + ${ttl}::int * interval '1 second'`;
const releasedClaim = {
  claimOwner: null,
  claimHost: null,
  claimedAt: null,
  leaseExpiresAt: null,
} as const;

type RawRow = Record<string, unknown>;

/** The card's dependency ids, selected beside a returned row (all done for a claimed card). */
const depsOf = (alias: string) =>
  sql.raw(
    `array(select d.depends_on_id from card_deps d where d.tenant_id = ${alias}.tenant_id and d.card_id = ${alias}.id order by 1)`,
  );

function returnedCard(raw: RawRow): CardView {
  return cardView(fromRaw(cards, raw), { dependsOn: textArray(raw.depends_on), waitingOn: [] });
}

/**
 * One statement: pick (FOR UPDATE SKIP LOCKED), update, log the event, return the card with its
 * dependencies. A single statement is atomic on its own and saves PGlite the transaction's
 * round trips, which dominate a claim's cost there.
 */
export function claimCard(ctx: StoreContext, input: ClaimInput): Promise<CardView | null> {
  const ttl = input.ttl_seconds ?? DEFAULT_TTL_SECONDS;
  const db = ctx.db;
  const pick = db
    .select({ id: cards.id })
    .from(cards)
    .where(
      and(eligible(db, ctx.tenantId, input.class), input.id ? eq(cards.id, input.id) : undefined),
    )
    .orderBy(...CARD_ORDER)
    .limit(1)
    .for('update', { of: cards, skipLocked: true });
  return single(
    ctx,
    () => false,
    async () => {
      // `id = (scalar subquery)` runs the pick once, as an InitPlan; `id IN (…)` may re-run a
      // locking subquery per scanned row and claim the wrong card. The status re-check guards
      // against a row that changed between pick and update.
      const { rows } = await db.execute<RawRow>(sql`
      with claimed as (
        update ${cards} set status = 'claimed', claim_owner = ${input.owner}, claim_host = ${ctx.host},
          claimed_at = now(), lease_expires_at = ${leaseFor(ttl)}, fence = fence + 1,
          attempts = attempts + 1, status_changed_at = now(), updated_at = now()
        where tenant_id = ${ctx.tenantId} and status = 'ready' and id = (${pick})
        returning *
      ), logged as (
        insert into ${cardEvents} (tenant_id, card_id, kind, actor, host, detail)
        select tenant_id, id, 'claimed', ${input.owner}, ${ctx.host}, jsonb_build_object(
          'fence', fence, 'attempt', attempts, 'ttl_seconds', ${ttl}::int, 'lease_expires_at', lease_expires_at)
        from claimed
      )
      select claimed.*, ${depsOf('claimed')} as depends_on from claimed`);
      const [raw] = rows;
      if (!raw) {
        if (input.id) await explainUnclaimable(db, ctx, input.id, input.class);
        return null;
      }
      return returnedCard(raw);
    },
  );
}

/** Why a claim by id found nothing; returns quietly when the card was merely locked by a racer. */
async function explainUnclaimable(
  ex: Executor,
  ctx: StoreContext,
  id: string,
  cls?: string,
): Promise<void> {
  const row = await findCard(ex, ctx.tenantId, id);
  if (!row) throw new CardNotFound(id);
  if (row.status !== 'ready') throw new IllegalTransition(id, `is ${row.status}, not ready`);
  const waiting = (await loadDeps(ex, ctx.tenantId, [id])).get(id)?.waitingOn ?? [];
  if (waiting.length > 0) throw new IllegalTransition(id, `waits on ${waiting.join(', ')}`);
  if (cls !== undefined && row.assigneeClass !== null && row.assigneeClass !== cls) {
    throw new IllegalTransition(id, `is for class ${row.assigneeClass}, not ${cls}`);
  }
}

async function fenceError(
  ex: Executor,
  ctx: StoreContext,
  offered: { id: string; owner: string; fence: number },
) {
  const row = await findCard(ex, ctx.tenantId, offered.id);
  if (!row) return new CardNotFound(offered.id);
  return new FenceMismatch(offered.id, offered, {
    status: row.status,
    owner: row.claimOwner,
    fence: row.fence,
  });
}

function holds(ctx: StoreContext, c: { id: string; owner: string; fence: number }) {
  return and(
    cardKey(ctx.tenantId, c.id),
    eq(cards.status, 'claimed'),
    eq(cards.claimOwner, c.owner),
    eq(cards.fence, c.fence),
  );
}

export function renewClaim(ctx: StoreContext, input: RenewInput): Promise<CardView> {
  const ttl = input.ttl_seconds ?? DEFAULT_TTL_SECONDS;
  return mutate(ctx, false, async (tx) => {
    const [row] = await tx
      .update(cards)
      .set({ leaseExpiresAt: leaseFor(ttl), updatedAt: now })
      .where(holds(ctx, input))
      .returning();
    if (!row) throw await fenceError(tx, ctx, input);
    // retention: a claim keeps its latest renewal only, so the log grows by one row per claim
    // however long it is held, not one per renewal (docs/architecture.md "Invariants")
    await tx
      .delete(cardEvents)
      .where(
        and(
          eq(cardEvents.tenantId, ctx.tenantId),
          eq(cardEvents.cardId, row.id),
          eq(cardEvents.kind, 'renewed'),
          sql`(${cardEvents.detail}->>'fence')::bigint = ${row.fence}`,
        ),
      );
    await recordEvent(tx, ctx, row.id, 'renewed', input.owner, {
      fence: row.fence,
      ttl_seconds: ttl,
      lease_expires_at: row.leaseExpiresAt?.toISOString() ?? null,
    });
    return oneCardView(tx, row);
  });
}

/** Done, if the caller still holds the claim (an expired but not yet reclaimed lease still counts). */
export function completeCard(ctx: StoreContext, input: CompleteInput): Promise<CardView> {
  const spend =
    input.actual_spend === undefined ? sql`` : sql`, actual_spend = ${input.actual_spend}`;
  // only a card something depends on can make another ready: completing any other wakes nobody
  const dependents = sql.raw(
    'exists (select 1 from card_deps w where w.tenant_id = done.tenant_id and w.depends_on_id = done.id)',
  );
  return single(
    ctx,
    (r) => r.wakes,
    async () => {
      const { rows } = await ctx.db.execute<RawRow>(sql`
      with done as (
        update ${cards} set status = 'done', lease_expires_at = null, done_at = now(),
          status_changed_at = now(), updated_at = now() ${spend}
        where tenant_id = ${ctx.tenantId} and id = ${input.id} and status = 'claimed'
          and claim_owner = ${input.owner} and fence = ${input.fence}
        returning *
      ), logged as (
        insert into ${cardEvents} (tenant_id, card_id, kind, actor, host, detail)
        select tenant_id, id, 'completed', ${input.owner}, ${ctx.host},
          jsonb_build_object('fence', fence, 'attempt', attempts)
        from done
      )
      select done.*, ${depsOf('done')} as depends_on, ${dependents} as has_dependents
        ${notifySql(ctx, dependents)} from done`);
      const [raw] = rows;
      if (!raw) throw await fenceError(ctx.db, ctx, input);
      return { card: returnedCard(raw), wakes: raw.has_dependents === true };
    },
  ).then((r) => r.card);
}

/** Back to ready with the reason, or blocked once the card has used all its attempts. */
const exhausted = sql`${cards.attempts} >= ${cards.maxAttempts}`;
const statusAfterAttempt = sql`case when ${exhausted} then 'blocked' else 'ready' end`;
const exhaustedReason = (why: string) =>
  sql`case when ${exhausted} then 'attempts exhausted (' || ${cards.attempts} || ' of ' || ${cards.maxAttempts} || '): ' || ${why}::text else null end`;

export function failCard(ctx: StoreContext, input: FailInput): Promise<CardView> {
  return mutate(
    ctx,
    (card) => card.status === 'ready',
    async (tx) => {
      const [row] = await tx
        .update(cards)
        .set({
          status: statusAfterAttempt,
          blockedReason: exhaustedReason(input.reason),
          lastError: input.reason,
          ...releasedClaim,
          statusChangedAt: now,
          updatedAt: now,
        })
        .where(holds(ctx, input))
        .returning();
      if (!row) throw await fenceError(tx, ctx, input);
      await recordEvent(tx, ctx, row.id, 'failed', input.owner, {
        fence: row.fence,
        attempt: row.attempts,
        reason: input.reason,
        status: row.status,
      });
      return oneCardView(tx, row);
    },
  );
}

/**
 * Expired leases back to ready (or blocked when attempts are used up), or with `id` one claimed
 * card back to ready now, whatever its lease. Rows another transaction holds are skipped and
 * picked up by the next pass.
 */
export function reclaimCards(ctx: StoreContext, input: ReclaimInput): Promise<ReclaimedCard[]> {
  const actor = input.actor ?? 'reaper';
  return mutate(
    ctx,
    (list) => list.some((c) => c.status === 'ready'),
    async (tx) => {
      const due = input.id
        ? await tx.select().from(cards).where(cardKey(ctx.tenantId, input.id)).for('update')
        : await tx
            .select()
            .from(cards)
            .where(
              and(
                eq(cards.tenantId, ctx.tenantId),
                eq(cards.status, 'claimed'),
                lte(cards.leaseExpiresAt, now),
              ),
            )
            .limit(1000)
            .for('update', { skipLocked: true });
      if (input.id) {
        const [only] = due;
        if (!only) throw new CardNotFound(input.id);
        if (only.status !== 'claimed')
          throw new IllegalTransition(input.id, `is ${only.status}, not claimed`);
      }
      if (due.length === 0) return [];
      const ids = due.map((r) => r.id);
      const why = `lease expired`;
      const updated = await tx
        .update(cards)
        .set({
          status: input.id ? 'ready' : statusAfterAttempt,
          blockedReason: input.id ? null : exhaustedReason(why),
          ...(input.id ? {} : { lastError: why }),
          ...releasedClaim,
          statusChangedAt: now,
          updatedAt: now,
        })
        .where(
          and(
            eq(cards.tenantId, ctx.tenantId),
            inArray(cards.id, ids),
            eq(cards.status, 'claimed'),
          ),
        )
        .returning({ id: cards.id, fence: cards.fence, status: cards.status });
      const before = new Map(due.map((r) => [r.id, r]));
      const result: ReclaimedCard[] = updated.map((u) => ({
        id: u.id,
        fence: u.fence,
        previous_owner: before.get(u.id)?.claimOwner ?? null,
        status: u.status,
      }));
      if (result.length > 0) {
        await tx.insert(cardEvents).values(
          result.map((r) => ({
            tenantId: ctx.tenantId,
            cardId: r.id,
            kind: 'reclaimed' as const,
            actor,
            host: ctx.host,
            detail: {
              fence: r.fence,
              previous_owner: r.previous_owner,
              status: r.status,
              forced: Boolean(input.id),
              ...(input.note ? { note: input.note } : {}),
            },
          })),
        );
      }
      return result;
    },
  );
}
