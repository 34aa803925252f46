/**
 * A backlog worker run as its own OS process by the race and fault tests (and the benchmark).
 * It talks to fleetd only through the typed client and prints one JSON record per line:
 * claim, done, refused (a completion fleetd rejected), lost (the connection dropped mid-call).
 *
 * modes
 * - drain: claim, complete, until every card is done
 * - late-claimer: claim with a short TTL and complete; every other claim first waits until the
 *   reaper has taken the card back, so some completions are late for certain
 * - reaper: reclaim expired leases in a loop until every card is done
 * - completer: like drain, but survives fleetd being killed and restarted
 */
import { FleetdClient } from '@/lib/client/fleetd.js';
import { FleetError } from '@/lib/errors.js';
import { fleetHome } from '@/lib/home.js';
import type { WorkerConfig } from './procs.js';

const config = JSON.parse(process.argv[2] ?? '{}') as WorkerConfig;
const client = new FleetdClient(fleetHome(config.home), { timeoutMs: 60_000 });
const emit = (r: object) => process.stdout.write(JSON.stringify(r) + '\n');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Nothing left to claim or finish: every card is done (or parked as blocked). */
async function allDone(): Promise<boolean> {
  const s = await client.backlog.stats();
  return s.total > 0 && s.counts.ready === 0 && s.counts.claimed === 0;
}

const isDown = (e: unknown) => e instanceof FleetError && e.code === 'FLEETD_DOWN';

/** Retry while fleetd is down (completer mode only); anything else is thrown. */
async function call<T>(fn: () => Promise<T>, retry: boolean): Promise<T> {
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      if (!retry || !isDown(e)) throw e;
      await sleep(100);
    }
  }
}

async function drain(retry: boolean): Promise<void> {
  const owner = config.owner;
  for (;;) {
    const { card } = await call(
      () => client.backlog.claim({ owner, ttl_seconds: config.ttl ?? 600 }),
      retry,
    );
    if (!card) {
      // nothing claimable: wait for a card to become ready; only a quiet second costs a stats call
      const { ready } = await call(() => client.backlog.wait({ timeout_ms: 1000 }), retry);
      if (ready) continue;
      if (await call(allDone, retry)) return;
      // a claim lost with a killed fleetd holds its card until the lease runs out
      if (retry) await call(() => client.backlog.reclaim({ actor: owner }), retry);
      continue;
    }
    const ref = { id: card.id, fence: card.fence, owner };
    emit({ t: 'claim', ...ref });
    try {
      await client.backlog.complete(ref);
      emit({ t: 'done', ...ref });
    } catch (e) {
      if (!(retry && isDown(e))) throw e;
      // the completion may or may not have committed before fleetd died: not acknowledged
      emit({ t: 'lost', ...ref, op: 'complete' });
    }
  }
}

async function lateClaimer(): Promise<void> {
  const owner = config.owner;
  for (let n = 0; ; n++) {
    const { card } = await client.backlog.claim({ owner, ttl_seconds: config.ttl ?? 0 });
    if (!card) {
      if (await allDone()) return;
      await sleep(2);
      continue;
    }
    const ref = { id: card.id, fence: card.fence, owner };
    emit({ t: 'claim', ...ref });
    if (n % 2 === 1) {
      // hold on until the reaper has taken it back: this completion is late by construction
      for (;;) {
        const { card: now } = await client.backlog.show(card.id);
        if (now.fence !== card.fence || now.status !== 'claimed') break;
        await sleep(2);
      }
    }
    try {
      await client.backlog.complete(ref);
      emit({ t: 'done', ...ref });
    } catch (e) {
      if (!(e instanceof FleetError)) throw e;
      emit({ t: 'refused', ...ref, code: e.code, message: e.message });
    }
  }
}

async function reaper(): Promise<void> {
  while (!(await allDone())) {
    await client.backlog.reclaim({ actor: config.owner });
    await sleep(1);
  }
}

const modes: Record<WorkerConfig['mode'], () => Promise<void>> = {
  drain: () => drain(false),
  completer: () => drain(true),
  'late-claimer': lateClaimer,
  reaper,
};

async function go(): Promise<void> {
  if (!config.waitForGo) return;
  emit({ t: 'ready', owner: config.owner });
  await new Promise((resolve) => process.stdin.once('data', resolve));
  process.stdin.destroy();
}

go()
  .then(() => modes[config.mode]())
  .then(() => client.close())
  .catch((e: unknown) => {
    process.stderr.write(`${config.owner}: ${(e as Error)?.stack ?? String(e)}\n`);
    process.exitCode = 1;
    client.close();
  });
