// The backlog store: claims + completions per second from 8 worker processes through fleetd,
// on PGlite and on PostgreSQL, each beside a baseline from this same run — the same SQL issued
// directly by one process (BacklogService on the store, no fleetd, no socket, PGlite on the
// process's own thread rather than the store thread fleetd gives it), the two taken in
// turn three times so a slow minute of the machine falls on both. Then the cost of
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
const ROUNDS = 3;
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

/** ROUNDS of (direct, through fleetd) in turn; each figure is the median of its ROUNDS runs. */
async function interleaved(
  direct: (round: number) => Promise<number>,
  fleetd: (round: number) => Promise<number>,
): Promise<{ direct: number; fleetd: number; runs: string }> {
  const d: number[] = [];
  const f: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    d.push(await direct(round));
    f.push(await fleetd(round));
  }
  const runs = f.map((x, i) => ratio(x, d[i]!)).join(' ');
  return { direct: percentile(d, 50), fleetd: percentile(f, 50), runs };
}

export default async function (): Promise<void> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'mf-store-bench-'));
  const pg = await testPostgres();
  try {
    console.log(
      `claims + completions per second, ${CARDS} cards (${WORKERS} worker processes through fleetd), median of ${ROUNDS} runs taken in turn with the baseline`,
    );
    const lite = await interleaved(
      (r) => direct({ dataDir: path.join(work, `direct-db-${r}`), inProcess: true }),
      (r) => throughFleetd(fleetHome(path.join(work, `fleetd-${r}`))),
    );
    console.log(
      `  pglite    through fleetd ${perSec(lite.fleetd)}   direct, 1 process ${perSec(lite.direct)}   ${ratio(lite.fleetd, lite.direct)}   (each run: ${lite.runs})`,
    );
    const onPg = await interleaved(
      async () => {
        const db = await createDatabase(pg.url, 'fleet_bench');
        try {
          return await direct({ url: db.url });
        } finally {
          await db.drop();
        }
      },
      async (r) => {
        const db = await createDatabase(pg.url, 'fleet_bench');
        try {
          return await throughFleetd(fleetHome(path.join(work, `fleetd-pg-${r}`)), db.url);
        } finally {
          await db.drop();
        }
      },
    );
    console.log(
      `  postgres  through fleetd ${perSec(onPg.fleetd)}   direct, 1 process ${perSec(onPg.direct)}   ${ratio(onPg.fleetd, onPg.direct)}   (each run: ${onPg.runs})`,
    );
    const { cli, node } = await cliOverhead(fleetHome(path.join(work, 'cli')));
    console.log(
      `one CLI call: fleet backlog stats ${ms(cli)} (median of 15)   node -e 0 ${ms(node)}   ${ratio(cli, node)}`,
    );
  } finally {
    await pg.stop();
    rmSync(work, { recursive: true, force: true });
  }
}
