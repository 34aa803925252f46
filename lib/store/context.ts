import { sql, type SQL } from 'drizzle-orm';
import type { Db, Executor, StoreKind, Tx } from './db.js';
import { cardEvents, type CardEventKind } from './schema.js';
import type { ReadySignal } from './signal.js';

/** NOTIFY channel carrying "a card may be ready" between hosts sharing one PostgreSQL. */
export const READY_CHANNEL = 'mosaic_fleet_backlog';

/** What every store function works with: the database, who we are, and the ready signal. */
export interface StoreContext {
  db: Db;
  kind: StoreKind;
  tenantId: string;
  host: string;
  signal: ReadySignal;
  /** committed mutations so far: fleetd's PGlite maintenance analyzes after enough of them */
  writes: { count: number };
}

export async function recordEvent(
  ex: Executor,
  ctx: StoreContext,
  cardId: string,
  kind: CardEventKind,
  actor: string,
  detail: Record<string, unknown> = {},
): Promise<void> {
  await ex
    .insert(cardEvents)
    .values({ tenantId: ctx.tenantId, cardId, kind, actor, host: ctx.host, detail });
}

/**
 * Run one backlog mutation in a transaction. With `wakes`, waiters learn after the commit that
 * work may be claimable: locally through the signal, and on PostgreSQL through a NOTIFY that the
 * server delivers to every host only if the transaction commits.
 */
export async function mutate<T>(
  ctx: StoreContext,
  wakes: boolean | ((result: T) => boolean),
  fn: (tx: Tx) => Promise<T>,
): Promise<T> {
  const result = await ctx.db.transaction(async (tx) => {
    const value = await fn(tx);
    if (ctx.kind === 'postgres' && shouldWake(wakes, value)) {
      await tx.execute(sql`select pg_notify(${READY_CHANNEL}, ${ctx.tenantId})`);
    }
    return value;
  });
  ctx.writes.count++;
  if (shouldWake(wakes, result)) ctx.signal.emit(ctx.tenantId);
  return result;
}

function shouldWake<T>(wakes: boolean | ((result: T) => boolean), value: T): boolean {
  return typeof wakes === 'function' ? wakes(value) : wakes;
}

/**
 * For mutations that are one statement (and so atomic without a transaction): raise the local
 * signal after it ran. On PostgreSQL such a statement selects pg_notify itself.
 */
export async function single<T>(
  ctx: StoreContext,
  wakes: (result: T) => boolean,
  fn: () => Promise<T>,
): Promise<T> {
  const result = await fn();
  ctx.writes.count++;
  if (wakes(result)) ctx.signal.emit(ctx.tenantId);
  return result;
}

/**
 * A NOTIFY to select inside a single-statement mutation on PostgreSQL (only where `when` holds,
 * if given); nothing on PGlite.
 */
export function notifySql(ctx: StoreContext, when?: SQL): SQL {
  if (ctx.kind !== 'postgres') return sql``;
  const notify = sql`pg_notify(${READY_CHANNEL}, ${ctx.tenantId})`;
  return when
    ? sql`, case when ${when} then ${notify} end as notified`
    : sql`, ${notify} as notified`;
}
