// Dispatch latency — card created → its prompt visible in the agent's pane — beside the raw
// latency of `tmux send-keys` → visible measured in the same run, and beside fleetd with its
// tmux control client turned off (a tmux process per call, FLEET_TMUX_CONTROL=0); and cards per
// minute through a 10-agent stub fleet beside the ideal for that many workers (the median of
// three runs). The screen is looked at every 10 ms. Passes/fails on nothing.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { FleetdClient } from '../lib/client/fleetd.js';
import { fleetHome } from '../lib/home.js';
import { startSupervised } from '../test/support/supervised.js';
import { testFleet, until } from '../test/support/tmux-fleet.js';
import { freshStore, ms, percentile, ratio } from './stats.js';

const run = promisify(execFile);
const WORKERS = 8;
const SAMPLES = 20;
// a whole number of rounds: 64 cards through 8 workers is 8 rounds of WORK_S at best
const CARDS = 64;
const WORK_S = 1;
const ROUNDS = 3;
const LOOK_MS = 10;

/** Like `until`, looking every LOOK_MS instead of every 100 ms: the figure is the latency. */
async function soon(fn: () => Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await fn())) {
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, LOOK_MS));
  }
}

export default async function (): Promise<void> {
  const agents = [
    { name: 'orch', class: 'orchestrator' },
    { name: 'enh', class: 'enhancer' },
    ...Array.from({ length: WORKERS }, (_, i) => ({ name: `w${i}`, class: 'worker' })),
  ];
  const fleet = testFleet(agents, { interval: 1 });
  const home = fleetHome(fleet.home);
  await freshStore(home.dbDir);
  const start = async (control: boolean) => {
    if (control) delete process.env.FLEET_TMUX_CONTROL;
    else process.env.FLEET_TMUX_CONTROL = '0';
    const { fleetd } = await startSupervised(fleet, {
      reapIntervalMs: 1000,
      tickMs: 1000,
      replanIntervalMs: 3_600_000,
    });
    delete process.env.FLEET_TMUX_CONTROL;
    return fleetd;
  };
  let fleetd = await start(false);
  const client = new FleetdClient(home);
  const tmuxEnv = { PATH: process.env.PATH, HOME: process.env.HOME, TMUX_TMPDIR: fleet.tmpdir };
  const capture = async (name: string) =>
    (
      await run('tmux', ['-L', fleet.socket, 'capture-pane', '-p', '-J', '-t', `=${name}:`], {
        env: tmuxEnv,
      })
    ).stdout;
  try {
    await until(
      async () => {
        const rows = (await fleet.json<{ agents: { readiness: string }[] }>(['ps'])).agents;
        return rows.filter((r) => r.readiness === 'available').length === agents.length;
      },
      'fleet available',
      60_000,
    );

    // baseline: raw send-keys of a marker into an idle pane until it shows
    const raw: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const marker = `raw-${i}-${Date.now()}`;
      const t = performance.now();
      await run('tmux', ['-L', fleet.socket, 'send-keys', '-t', '=enh:', '-l', marker], {
        env: tmuxEnv,
      });
      await soon(async () => (await capture('enh')).includes(marker), 'raw marker', 10_000);
      raw.push(performance.now() - t);
      await run('tmux', ['-L', fleet.socket, 'send-keys', '-t', '=enh:', 'C-u'], { env: tmuxEnv });
    }

    // dispatch: create a card; wait until its id shows in the pane of the agent that took it
    const dispatchSamples = async (tag: string): Promise<number[]> => {
      const out: number[] = [];
      // the first card after fleetd starts is not counted: its first tmux calls, and the JIT
      for (let i = -1; i < SAMPLES; i++) {
        const id = `lat-${tag}-${i}`;
        const t = performance.now();
        await client.backlog.create({ id, title: `latency ${i}`, body: 'work: 0.1s' });
        await soon(
          async () => {
            const c = (await client.backlog.show(id)).card;
            const agent = c.claim_owner?.split('@')[0];
            return agent ? (await capture(agent)).includes(`[fleet task ${id}]`) : false;
          },
          `${id} visible`,
          30_000,
        );
        if (i >= 0) out.push(performance.now() - t);
        await until(
          async () => (await client.backlog.show(id)).card.status === 'done',
          `${id} done`,
          30_000,
        );
      }
      return out;
    };
    const perCall = await dispatchSamples('proc');
    await fleetd.stop();
    fleetd = await start(true);
    const dispatch = await dispatchSamples('ctl');
    const p = (xs: number[], q: number) => percentile(xs, q);
    console.log(
      `raw tmux send-keys → visible       p50 ${ms(p(raw, 50))}  p95 ${ms(p(raw, 95))}   (baseline)`,
    );
    console.log(
      `card created → prompt, a tmux process per call  p50 ${ms(p(perCall, 50))}  p95 ${ms(p(perCall, 95))}   (baseline: FLEET_TMUX_CONTROL=0)`,
    );
    console.log(
      `card created → prompt in the pane  p50 ${ms(p(dispatch, 50))}  p95 ${ms(p(dispatch, 95))}   (${ratio(p(dispatch, 50), p(raw, 50))} of raw p50; p95 ${ratio(p(dispatch, 95), p(perCall, 95))} of a process per call)`,
    );

    // throughput: CARDS independent cards of WORK_S seconds each through WORKERS workers, in
    // ROUNDS runs; the median is the figure (one run on a shared 2-core machine moves by ±5 %)
    const rates: number[] = [];
    let doneSoFar = 2 * (SAMPLES + 1);
    for (let round = 0; round < ROUNDS; round++) {
      await until(
        async () =>
          (await fleet.json<{ agents: { readiness: string }[] }>(['ps'])).agents.every(
            (r) => r.readiness === 'available',
          ),
        'idle again',
        60_000,
      );
      const t0 = Date.now();
      for (let i = 0; i < CARDS; i++)
        await client.backlog.create({
          id: `tp-${round}-${i}`,
          title: `throughput ${round}/${i}`,
          body: `work: ${WORK_S}s`,
        });
      doneSoFar += CARDS;
      // looked at twice a second, so the looking costs fleetd little; the end is the last
      // completion as the store recorded it, not when this loop noticed it
      for (const end = Date.now() + 600_000; ;) {
        if ((await client.backlog.stats()).counts.done === doneSoFar) break;
        if (Date.now() > end) throw new Error('gave up waiting for the throughput cards');
        await new Promise((r) => setTimeout(r, 500));
      }
      const { events } = await client.backlog.events({
        since: new Date(t0).toISOString(),
        limit: 10_000,
      });
      const done = events.filter(
        (e) => e.kind === 'completed' && e.card_id.startsWith(`tp-${round}-`),
      );
      if (done.length !== CARDS) throw new Error(`${done.length} completions of ${CARDS} recorded`);
      const minutes = (Math.max(...done.map((e) => Date.parse(e.at))) - t0) / 60_000;
      rates.push(CARDS / minutes);
    }
    // zero overhead: ceil(CARDS / WORKERS) rounds of WORK_S seconds each
    const ideal = CARDS / ((Math.ceil(CARDS / WORKERS) * WORK_S) / 60);
    const pct = (r: number) => `${((r / ideal) * 100).toFixed(0)}%`;
    const median = percentile(rates, 50);
    console.log(
      `cards/minute, ${WORKERS} workers + floor, ${WORK_S}s cards: ${median.toFixed(1)}, median of ${ROUNDS} runs (${rates.map((r) => `${r.toFixed(0)} = ${pct(r)}`).join(', ')})   (ideal with zero overhead: ${ideal.toFixed(0)}; ${pct(median)} of it)`,
    );
  } finally {
    client.close();
    await fleetd.stop();
    fleet.cleanup();
  }
}
