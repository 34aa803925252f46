// An agent's timeline through fleetd's socket on the embedded store (lib/ops/timeline.ts), with
// a backlog of 400 cards worked by 5 agents and 100 agent events: reading one agent's timeline,
// and recording one event (what a CLI start or takeover adds). Baselines from the same run:
// `/v1/health` (a socket round trip) and `/v1/backlog/events` of 1000 events. Passes/fails on
// nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FleetdClient } from '../lib/client/fleetd.js';
import { fleetHome } from '../lib/home.js';
import { startFleetd } from '../server/fleetd.js';
import { freshStore, ms, percentile, ratio, timeIt } from './stats.js';

const CARDS = 400;
const AGENTS = 5;
const RUNS = 40;

export default async function (): Promise<void> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'mf-bench-timeline-'));
  const home = fleetHome(root);
  await freshStore(home.dbDir);
  const fleetd = await startFleetd({ home, reapIntervalMs: 0, host: 'h1' });
  const client = new FleetdClient(home);
  try {
    const { backlog } = fleetd.services;
    for (let i = 0; i < CARDS; i++) {
      const owner = `w${i % AGENTS}@h1#1`;
      await backlog.create({ id: `c${i}`, title: `card ${i}` });
      const card = await backlog.claim({ id: `c${i}`, owner });
      await backlog.complete({ id: `c${i}`, owner, fence: card!.fence });
    }
    for (let i = 0; i < 100; i++)
      await client.agents.recordEvent({
        agent: `w${i % AGENTS}`,
        kind: i % 2 ? 'takeover' : 'started',
        epoch: i % 2 ? null : i,
        reason: i % 2 ? null : 'crash',
        actor: 'bench',
      });
    const health = await timeIt(() => client.health(), RUNS);
    const events = await timeIt(() => client.backlog.events({ limit: 1000 }), RUNS);
    const timeline = await timeIt(() => client.agents.timeline({ name: 'w1' }), RUNS);
    const record = await timeIt(
      () => client.agents.recordEvent({ agent: 'w1', kind: 'released', actor: 'bench' }),
      RUNS,
    );
    const entries = (await client.agents.timeline({ name: 'w1' })).entries.length;
    const p50 = (s: number[]) => percentile(s, 50);
    console.log(`baseline /v1/health                 p50 ${ms(p50(health))}`);
    console.log(`baseline /v1/backlog/events (1000)  p50 ${ms(p50(events))}`);
    console.log(
      `/v1/agents/timeline (${entries} entries)  p50 ${ms(p50(timeline))}  ${ratio(p50(timeline), p50(events))} of events`,
    );
    console.log(
      `/v1/agents/events (one record)      p50 ${ms(p50(record))}  ${ratio(p50(record), p50(health))} of health`,
    );
  } finally {
    client.close();
    await fleetd.stop();
    rmSync(root, { recursive: true, force: true });
  }
}
