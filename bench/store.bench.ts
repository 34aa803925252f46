// The backlog store: claims + completions per second from 8 worker processes through fleetd,
// on PGlite and on PostgreSQL, each beside a baseline from this same run — the same SQL issued
// directly by one process (BacklogService on the store, no fleetd, no socket). Then the cost of
// one CLI call (`fleet backlog stats`) beside `node -e 0`. Prints figures; passes/fails nothing.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { FleetdClient } from '../lib/client/fleetd.js';
import { fleetHome, type FleetHome } from '../lib/home.js';
import { BacklogService } from '../lib/store/backlog.js';
import { openStore, type StoreTarget } from '../lib/store/db.js';
import { ReadySignal } from '../lib/store/signal.js';
import { startFleetd } from '../server/fleetd.js';
import { FLEET_BIN, finish, spawnWorker, type Proc } from '../test/support/procs.js';
import { createDatabase, testPostgres } from '../test/support/postgres.js';
import { ms, percentile, ratio, timeIt } from './stats.js';

const run = promisify(execFile);
const CARDS = Number(process.env.BENCH_CARDS ?? 2000);
const WORKERS = 8;

const rate = (ops: number, millis: number) => (ops / millis) * 1000;
const perSec = (n: number) => `${Math.round(n)}/s`;

/** The baseline: claim + complete in a loop, one process, straight on the store. */
async function direct(target: StoreTarget): Promise<number> {
  const store = await openStore(target);
  try {
    await store.migrate();
    const backlog = new BacklogService({
      db: store.db,
      kind: store.kind,
      tenantId: 'bench',
      host: 'bench',
      signal: new ReadySignal(),
      writes: { count: 0 },
    });
    for (let i = 0; i < CARDS; i++) await backlog.create({ id: `d-${i}`, title: 'bench' });
    const t = performance.now();
    for (;;) {
      const card = await backlog.claim({ owner: 'solo' });
      if (!card) break;
      await backlog.complete({ id: card.id, owner: 'solo', fence: card.fence });
    }
    return rate(2 * CARDS, performance.now() - t);
  } finally {
    await store.close();
  }
}

/** 8 worker processes through fleetd's socket, started together once all are ready. */
async function throughFleetd(home: FleetHome, databaseUrl?: string): Promise<number> {
  const fleetd = await startFleetd({
    home,
    databaseUrl,
    reapIntervalMs: 0,
    tenantId: 'bench',
    host: 'bench',
  });
  const client = new FleetdClient(home);
  try {
    for (let i = 0; i < CARDS; i += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, CARDS - i) }, (_, k) =>
          client.backlog.create({ id: `f-${i + k}`, title: 'bench' }),
        ),
      );
    }
    const workers: Proc[] = Array.from({ length: WORKERS }, (_, i) =>
      spawnWorker({ mode: 'drain', home: home.root, owner: `bench-${i}`, waitForGo: true }),
    );
    while (workers.some((w) => !w.stdout.some((l) => l.includes('"ready"'))))
      await new Promise((r) => setTimeout(r, 20));
    const t = performance.now();
    for (const w of workers) w.child.stdin?.write('go\n');
    await Promise.all(workers.map(finish));
    return rate(2 * CARDS, performance.now() - t);
  } finally {
    client.close();
    await fleetd.stop();
  }
}

async function cliOverhead(home: FleetHome): Promise<{ cli: number; node: number }> {
  const fleetd = await startFleetd({ home, reapIntervalMs: 0 });
  try {
    const env = { ...process.env, FLEET_HOME: home.root };
    await run(process.execPath, [FLEET_BIN, 'backlog', 'stats'], { env }); // warm the page cache
    const cli = await timeIt(
      () => run(process.execPath, [FLEET_BIN, 'backlog', 'stats'], { env }),
      15,
    );
    const node = await timeIt(() => run(process.execPath, ['-e', '0']), 15);
    return { cli: percentile(cli, 50), node: percentile(node, 50) };
  } finally {
    await fleetd.stop();
  }
}

export default async function (): Promise<void> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'mf-store-bench-'));
  const pg = await testPostgres();
  try {
    console.log(
      `claims + completions per second, ${CARDS} cards (${WORKERS} worker processes through fleetd)`,
    );
    const pgliteDirect = await direct({ dataDir: path.join(work, 'direct-db') });
    const pgliteFleetd = await throughFleetd(fleetHome(path.join(work, 'fleetd')));
    console.log(
      `  pglite    through fleetd ${perSec(pgliteFleetd)}   direct, 1 process ${perSec(pgliteDirect)}   ${ratio(pgliteFleetd, pgliteDirect)}`,
    );
    const dbDirect = await createDatabase(pg.url, 'fleet_bench');
    const dbFleetd = await createDatabase(pg.url, 'fleet_bench');
    try {
      const pgDirect = await direct({ url: dbDirect.url });
      const pgFleetd = await throughFleetd(fleetHome(path.join(work, 'fleetd-pg')), dbFleetd.url);
      console.log(
        `  postgres  through fleetd ${perSec(pgFleetd)}   direct, 1 process ${perSec(pgDirect)}   ${ratio(pgFleetd, pgDirect)}`,
      );
    } finally {
      await dbDirect.drop();
      await dbFleetd.drop();
    }
    const { cli, node } = await cliOverhead(fleetHome(path.join(work, 'cli')));
    console.log(
      `one CLI call: fleet backlog stats ${ms(cli)} (median of 15)   node -e 0 ${ms(node)}   ${ratio(cli, node)}`,
    );
  } finally {
    await pg.stop();
    rmSync(work, { recursive: true, force: true });
  }
}
