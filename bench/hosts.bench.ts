// Claims across hosts on one PostgreSQL (docs/architecture.md "Multi-host"): claims per second,
// each claim completed before the worker's next, with 1, 2 and 3 fleetds (separate
// `fleet serve` processes, distinct host names and FLEET_HOMEs, one tenant) sharing a database
// and WORKERS workers per host on each host's own socket. Each figure sits beside a baseline from
// this same run on the same database: the same claim and completion SQL (BacklogService over a
// pg pool, lib/store/claims.ts) from one process with as many concurrent workers, no fleetd, no
// socket. Double claims are counted from the cards' events. Prints figures; passes/fails nothing.
// BENCH_HOST_CARDS, BENCH_HOST_WORKERS (per host); BENCH_PG_FAST=1 starts the throwaway
// PostgreSQL with fsync off (no effect on TEST_DATABASE_URL or a local server on 5432).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { and, asc, count, eq, ne } from 'drizzle-orm';
import { FleetdClient } from '../lib/client/fleetd.js';
import { fleetHome, type FleetHome } from '../lib/home.js';
import { BacklogService } from '../lib/store/backlog.js';
import { openStore, type Store } from '../lib/store/db.js';
import { cardEvents, cards } from '../lib/store/schema.js';
import { ReadySignal } from '../lib/store/signal.js';
import { runFleetCli, waitForHealth, type Proc } from '../test/support/procs.js';
import { createDatabase, testPostgres } from '../test/support/postgres.js';
import { ms, percentile, ratio } from './stats.js';

const CARDS = Number(process.env.BENCH_HOST_CARDS ?? 600);
const WORKERS = Number(process.env.BENCH_HOST_WORKERS ?? 8);
const HOSTS = [1, 2, 3];
/** untimed cards per host drained first: a fresh fleetd runs cold code on its first requests */
const WARM = 20;

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const sleep = (millis: number) => new Promise((r) => setTimeout(r, millis));
const perSec = (n: number) => `${Math.round(n)}/s`;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

interface Ref {
  id: string;
  fence: number;
}
/** One worker: claim a card (null when none is free), then complete it. */
interface Worker {
  claim(): Promise<Ref | null>;
  complete(ref: Ref): Promise<unknown>;
}

interface Drained {
  perSec: number;
  /** claim + complete round trips, one per card */
  cycles: number[];
}

/** All workers at once until `total` cards are done; cards are all ready, none depends on another. */
async function drain(workers: Worker[], total: number): Promise<Drained> {
  let done = 0;
  const cycles: number[] = [];
  const deadline = Date.now() + 60_000;
  const loop = async (w: Worker) => {
    while (done < total) {
      if (Date.now() > deadline) throw new Error(`drain stalled at ${done} of ${total} cards`);
      const t = performance.now();
      const card = await w.claim();
      // null while others still hold the last cards (SKIP LOCKED passes over locked rows)
      if (!card) {
        await sleep(1);
        continue;
      }
      await w.complete(card);
      cycles.push(performance.now() - t);
      done++;
    }
  };
  const t = performance.now();
  await Promise.all(workers.map(loop));
  return { perSec: (total / (performance.now() - t)) * 1000, cycles };
}

function backlogOf(store: Store, tenantId: string, host: string): BacklogService {
  const signal = new ReadySignal();
  return new BacklogService({
    db: store.db,
    kind: store.kind,
    tenantId,
    host,
    signal,
    writes: { count: 0 },
  });
}

async function seed(backlog: BacklogService, prefix: string, n: number): Promise<void> {
  for (let i = 0; i < n; i += 50) {
    await Promise.all(
      range(Math.min(50, n - i)).map((k) =>
        backlog.create({ id: `${prefix}-${i + k}`, title: 'bench' }),
      ),
    );
  }
}

/** Warm the workers up on a few untimed cards, then time the pool. */
async function measure(seeder: BacklogService, workers: Worker[], warm: number): Promise<Drained> {
  await seed(seeder, 'warm', warm);
  await drain(workers, warm);
  await seed(seeder, 'card', CARDS);
  return drain(workers, CARDS);
}

interface Audit {
  /** a claim while another owner held the card, or a completion of a card nobody held */
  doubles: number;
  /** cards not done at the end */
  undone: number;
  /** claims of the timed cards, by the host that served them */
  claimsByHost: Map<string, number>;
}

/** Replays the tenant's card events in order: who held each card when. */
async function audit(store: Store, tenantId: string): Promise<Audit> {
  const events = await store.db
    .select({ card: cardEvents.cardId, kind: cardEvents.kind, host: cardEvents.host })
    .from(cardEvents)
    .where(eq(cardEvents.tenantId, tenantId))
    .orderBy(asc(cardEvents.seq));
  const held = new Set<string>();
  const claimsByHost = new Map<string, number>();
  let doubles = 0;
  for (const e of events) {
    if (e.kind === 'claimed') {
      if (held.has(e.card)) doubles++;
      held.add(e.card);
      if (e.card.startsWith('card-')) claimsByHost.set(e.host, (claimsByHost.get(e.host) ?? 0) + 1);
    } else if (e.kind === 'completed') {
      if (!held.has(e.card)) doubles++;
      held.delete(e.card);
    } else if (e.kind === 'failed' || e.kind === 'reclaimed') held.delete(e.card);
  }
  const [undone] = await store.db
    .select({ n: count() })
    .from(cards)
    .where(and(eq(cards.tenantId, tenantId), ne(cards.status, 'done')));
  return { doubles, undone: undone?.n ?? 0, claimsByHost };
}

interface Result {
  drained: Drained;
  audit: Audit;
}

/** The baseline: `concurrency` workers in this process on the store, no fleetd, no socket. */
async function viaSql(store: Store, concurrency: number): Promise<Result> {
  const tenant = `bench-sql-${concurrency}`;
  const backlog = backlogOf(store, tenant, 'sql');
  const workers = range(concurrency).map((i): Worker => {
    const owner = `sql-w${i}`;
    return {
      claim: () => backlog.claim({ owner }),
      complete: (r) => backlog.complete({ id: r.id, fence: r.fence, owner }),
    };
  });
  const drained = await measure(backlog, workers, WARM);
  return { drained, audit: await audit(store, tenant) };
}

interface Host {
  proc: Proc;
  home: FleetHome;
}

/** SIGTERM by pid (fleetd stops cleanly on it), SIGKILL if it has not exited in 10 s. */
async function stopHost(h: Host): Promise<void> {
  const { child } = h.proc;
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const exited = await Promise.race([
    h.proc.exited.then(() => true),
    sleep(10_000).then(() => false),
  ]);
  if (!exited) {
    child.kill('SIGKILL');
    await h.proc.exited;
  }
}

/**
 * `fleet serve` from the built bundle. --no-supervise: no supervisor ticks and no acceptance
 * check on completion, so the process serves the same claim and completion SQL as the baseline.
 */
async function startHost(work: string, env: NodeJS.ProcessEnv): Promise<Host> {
  const home = fleetHome(mkdtempSync(path.join(work, 'home-')));
  const proc = runFleetCli(['serve', '--no-supervise'], { ...env, FLEET_HOME: home.root });
  const host = { proc, home };
  try {
    await waitForHealth(home, proc);
  } catch (e) {
    await stopHost(host);
    throw e;
  }
  return host;
}

/** All of them or none: a failed start stops those that came up. */
async function startHosts(work: string, url: string, tenant: string, n: number): Promise<Host[]> {
  const started = await Promise.allSettled(
    range(n).map((i) =>
      startHost(work, { DATABASE_URL: url, FLEET_TENANT_ID: tenant, FLEET_HOST: `host-${i + 1}` }),
    ),
  );
  const up = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) {
    await Promise.all(up.map(stopHost));
    throw failed.reason;
  }
  return up;
}

/** `n` fleetds, WORKERS workers on each one's socket (one FleetdClient per worker). */
async function viaHosts(store: Store, url: string, work: string, n: number): Promise<Result> {
  const tenant = `bench-hosts-${n}`;
  const hosts = await startHosts(work, url, tenant, n);
  const clients: FleetdClient[] = [];
  try {
    const workers = hosts.flatMap((h, hi) =>
      range(WORKERS).map((wi): Worker => {
        const client = new FleetdClient(h.home, { timeoutMs: 60_000 });
        clients.push(client);
        const owner = `h${hi + 1}-w${wi}`;
        return {
          claim: async () => (await client.backlog.claim({ owner })).card,
          complete: (r) => client.backlog.complete({ id: r.id, fence: r.fence, owner }),
        };
      }),
    );
    const drained = await measure(backlogOf(store, tenant, 'seed'), workers, WARM * n);
    return { drained, audit: await audit(store, tenant) };
  } finally {
    for (const c of clients) c.close();
    await Promise.all(hosts.map(stopHost));
  }
}

function report(n: number, hosts: Result, sql: Result, oneHost: Result | undefined): string {
  const h = hosts.drained;
  const s = sql.drained;
  const byHost = [...hosts.audit.claimsByHost].map(([host, c]) => `${host} ${c}`).join(', ');
  const label = `${plural(n, 'host')}, ${plural(n * WORKERS, 'worker')}`;
  const first = [
    `  ${label.padEnd(20)}${perSec(h.perSec).padStart(6)}`,
    `SQL, 1 process, ${`${n * WORKERS} concurrent`.padEnd(14)}${perSec(s.perSec).padStart(6)}`,
    ratio(h.perSec, s.perSec),
    ...(oneHost ? [`${n} hosts / 1 host ${ratio(h.perSec, oneHost.drained.perSec)}`] : []),
  ];
  const second = [
    `${' '.repeat(4)}p50 claim+complete ${ms(percentile(h.cycles, 50))} (SQL ${ms(percentile(s.cycles, 50))})`,
    `double claims ${hosts.audit.doubles} (SQL ${sql.audit.doubles})`,
    `not done ${hosts.audit.undone + sql.audit.undone}`,
    `claims by host: ${byHost}`,
  ];
  return `${first.join('   ')}\n${second.join('   ')}`;
}

export default async function (): Promise<void> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'mf-hosts-bench-'));
  const fast = process.env.BENCH_PG_FAST === '1';
  const pg = await testPostgres({ fast });
  try {
    const db = await createDatabase(pg.url, 'fleet_bench');
    try {
      const store = await openStore({ url: db.url, poolSize: Math.max(...HOSTS) * WORKERS + 2 });
      try {
        await store.migrate();
        console.log(
          `claims per second on one PostgreSQL${fast ? ' (fsync off)' : ''}, ${CARDS} cards, ${plural(WORKERS, 'worker')} per host, ${os.cpus().length} CPUs`,
        );
        console.log(
          '  (each fleetd a separate `fleet serve --no-supervise` process; workers are async loops here, one FleetdClient each; every claim completed before the next)',
        );
        let oneHost: Result | undefined;
        for (const n of HOSTS) {
          const sql = await viaSql(store, n * WORKERS);
          const hosts = await viaHosts(store, db.url, work, n);
          console.log(report(n, hosts, sql, oneHost));
          oneHost ??= hosts;
        }
      } finally {
        await store.close();
      }
    } finally {
      await db.drop();
    }
  } finally {
    await pg.stop();
    rmSync(work, { recursive: true, force: true });
  }
}
