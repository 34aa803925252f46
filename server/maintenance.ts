/** fleetd's housekeeping components: store vacuum, lease reaper, cross-host ready notifications. */
import { sql } from 'drizzle-orm';
import type { BacklogService } from '../lib/store/backlog.js';
import { READY_CHANNEL } from '../lib/store/context.js';
import type { Store } from '../lib/store/db.js';
import type { ReadySignal } from '../lib/store/signal.js';

/** Something fleetd starts in order and stops in reverse: API, loops, later the supervisor and web. */
export interface Component {
  name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export type Log = (line: string) => void;

/**
 * Run `task` every `intervalMs` (never overlapping itself); stop() waits for a run in flight.
 * A failure is logged unless `said` takes it (the store being away is said once, by the store:
 * docs/pitfalls.md "PostgreSQL goes away").
 */
export function periodic(
  name: string,
  intervalMs: number,
  task: () => Promise<void>,
  log: Log,
  said: (e: unknown) => unknown = () => false,
): Component {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  const schedule = () => {
    if (stopped || intervalMs <= 0) return;
    timer = setTimeout(() => {
      running = task()
        .catch((e: unknown) => {
          if (!said(e)) log(`${name}: ${(e as Error)?.message ?? String(e)}`);
        })
        .finally(() => {
          running = undefined;
          schedule();
        });
    }, intervalMs);
    timer.unref();
  };
  return {
    name,
    start: async () => schedule(),
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

/** Autovacuum never runs inside PGlite (docs/pitfalls.md "Store"): its owner vacuums. */
export function vacuumComponent(store: Store, intervalMs: number, log: Log): Component {
  return periodic(
    'vacuum',
    intervalMs,
    async () => {
      await store.db.execute(sql`VACUUM (ANALYZE)`);
    },
    log,
  );
}

/**
 * PGlite's autovacuum never runs, so neither does autoanalyze, and without statistics the
 * planner scans every ready card per claim instead of the claim-order index. Emulate
 * autoanalyze: after 50 writes plus 10% of the cards table, ANALYZE the two tables claims read
 * (a few milliseconds; the whole database, with its event logs, took about 110 ms on PGlite, and
 * queries wait behind it).
 */
export function analyzeComponent(
  store: Store,
  writes: () => number,
  log: Log,
  checkMs = 2000,
): Component {
  let seen = 0;
  let rows = 0;
  return periodic(
    'analyze',
    checkMs,
    async () => {
      const now = writes();
      if (now - seen < 50 + rows * 0.1) return;
      seen = now;
      await store.db.execute(sql`ANALYZE cards, card_deps`);
      const { rows: r } = await store.db.execute<{ n: number }>(
        sql`select reltuples::float8 as n from pg_class where relname = 'cards'`,
      );
      rows = Math.max(0, Number(r[0]?.n ?? 0));
    },
    log,
  );
}

/** Expired leases go back to the pool even when no supervisor is running yet. */
export function reaperComponent(
  backlog: BacklogService,
  intervalMs: number,
  log: Log,
  said?: (e: unknown) => unknown,
): Component {
  return periodic(
    'reaper',
    intervalMs,
    async () => {
      const reclaimed = await backlog.reclaim({ actor: 'fleetd' });
      if (reclaimed.length > 0)
        log(`reaper: reclaimed ${reclaimed.map((r) => `${r.id}->${r.status}`).join(', ')}`);
    },
    log,
    said,
  );
}

/**
 * PostgreSQL NOTIFYs from every host's fleetd wake this fleetd's long polls. A lost connection
 * is subscribed again every second until it holds: PostgreSQL being away is said once, by the
 * store (docs/pitfalls.md "PostgreSQL goes away"); any other failure once until it succeeds.
 */
export function readyListener(
  store: Store,
  signal: ReadySignal,
  log: Log,
  /** another fleetd's NOTIFY (the payload names only the tenant) */
  onNotify: (tenant: string) => void = () => undefined,
): Component {
  let close: (() => Promise<void>) | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  let failing = false;
  const retryLater = (): void => {
    if (stopped) return;
    clearTimeout(retry);
    retry = setTimeout(() => void subscribe().catch(failed), 1000);
    retry.unref();
  };
  const failed = (e: unknown): void => {
    if (!store.unreachable(e) && !failing)
      log(`ready listener: ${(e as Error)?.message ?? String(e)}; retrying every second`);
    failing = true;
    retryLater();
  };
  const subscribe = async (): Promise<void> => {
    close = await store.listen!(
      READY_CHANNEL,
      (tenant, own) => {
        // this fleetd's own writes raised the signal and told the panel which cards already
        if (own) return;
        signal.emit(tenant);
        onNotify(tenant);
      },
      () => retryLater(),
    );
    failing = false;
    if (stopped) await close();
  };
  return {
    name: 'ready-listener',
    start: subscribe,
    stop: async () => {
      stopped = true;
      clearTimeout(retry);
      await close?.();
    },
  };
}

/** How long the history kept for timelines lasts: agent events and cleared attention items. */
export const HISTORY_KEEP_MS = 30 * 86_400_000;

/**
 * Retention of the history behind agents' timelines (docs/attention.md "Items"): every hour,
 * agent events and cleared attention items older than HISTORY_KEEP_MS go. Open items stay.
 */
export function historyComponent(
  stores: {
    events: { prune(before: Date): Promise<number> };
    attention: { pruneCleared(before: Date): Promise<number> };
  },
  intervalMs: number,
  log: Log,
  said?: (e: unknown) => unknown,
): Component {
  const pass = async () => {
    const before = new Date(Date.now() - HISTORY_KEEP_MS);
    const events = await stores.events.prune(before);
    const items = await stores.attention.pruneCleared(before);
    if (events || items)
      log(`history: pruned ${events} agent event(s), ${items} cleared inbox item(s) (30 days)`);
  };
  return periodic('history', intervalMs, pass, log, said);
}
