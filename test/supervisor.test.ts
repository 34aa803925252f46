import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FleetdClient } from '../lib/client/fleetd.js';
import { fleetHome } from '../lib/home.js';
import type { CardView } from '../lib/store/contract.js';
import { FLOOR, supervisedHarnesses } from './support/supervised.js';
import { until, type AgentSpec } from './support/tmux-fleet.js';

const harnesses = supervisedHarnesses();
const harness = (agents: AgentSpec[], opts?: Parameters<typeof harnesses.start>[1]) =>
  harnesses.start(agents, opts);
afterEach((ctx) => harnesses.closeAll(ctx.task.result?.state === 'fail'));

const floor = FLOOR;
const workers = (n: number): AgentSpec[] =>
  Array.from({ length: n }, (_, i) => ({ name: `w${i}`, class: 'worker' }));

async function allCards(c: FleetdClient): Promise<CardView[]> {
  return (await c.backlog.list({ limit: 1000 })).cards;
}

describe('supervisor (real tmux, stub agents, PGlite through fleetd)', () => {
  it('starts the fleet and takes a 30-card DAG to done in dependency order, no card worked twice', async () => {
    const h = await harness([...floor, ...workers(4)]);
    // a layered DAG: card i depends on one or two cards of the previous layer
    for (let i = 0; i < 30; i++) {
      const layer = Math.floor(i / 5);
      const deps =
        layer === 0
          ? []
          : [
              `c${(layer - 1) * 5 + (i % 5)}`,
              ...(i % 2 ? [`c${(layer - 1) * 5 + ((i + 1) % 5)}`] : []),
            ];
      await h.client.backlog.create({
        id: `c${i}`,
        title: `card ${i}`,
        body: 'work: 0.3s',
        depends_on: deps,
      });
    }
    await until(
      async () => (await h.client.backlog.stats()).counts.done === 30,
      '30 cards done',
      120_000,
    );
    const cards = new Map((await allCards(h.client)).map((c) => [c.id, c]));
    for (const c of cards.values()) {
      for (const d of c.depends_on) {
        expect(Date.parse(c.claimed_at ?? c.done_at!), `${c.id} after ${d}`).toBeGreaterThanOrEqual(
          Date.parse(cards.get(d)!.done_at!),
        );
      }
    }
    const events = (await h.client.backlog.events({ limit: 10_000 })).events;
    for (const id of cards.keys()) {
      expect(
        events.filter((e) => e.card_id === id && e.kind === 'claimed'),
        id,
      ).toHaveLength(1);
      expect(
        events.filter((e) => e.card_id === id && e.kind === 'completed'),
        id,
      ).toHaveLength(1);
    }
    const worked = h.fleet.stubLog().filter((l) => l.text.includes('[fleet task '));
    const ids = worked.map((l) => /\[fleet task (\S+)\]/.exec(l.text)![1]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(30);
    // only workers took cards; the floor agents stayed free for coordination
    const owners = new Set(
      events.filter((e) => e.kind === 'claimed').map((e) => e.actor.split('@')[0]),
    );
    expect([...owners].every((o) => /^w\d$/.test(o!))).toBe(true);
  });

  it('takes a card back from an agent killed mid-card and another agent finishes it', async () => {
    const h = await harness([...floor, ...workers(2)], { leaseTtlSeconds: 60 });
    await until(
      async () =>
        (
          await h.fleet.json<{ agents: { name: string; readiness: string }[] }>(['ps'])
        ).agents.filter((a) => a.readiness === 'available').length === 4,
      'fleet available',
      30_000,
    );
    await h.client.backlog.create({ id: 'long', title: 'long card', body: 'work: 6s' });
    const claimed = await until(async () => {
      const c = (await h.client.backlog.show('long')).card;
      return c.status === 'claimed' &&
        h.fleet.capture(c.claim_owner!.split('@')[0]!).includes('working on long')
        ? c
        : null;
    }, 'long claimed and worked');
    const victim = claimed.claim_owner!.split('@')[0]!;
    process.kill(h.fleet.panePid(victim), 'SIGKILL');
    const redone = await until(
      async () => {
        const c = (await h.client.backlog.show('long')).card;
        return c.status === 'claimed' && !c.claim_owner!.startsWith(`${victim}@`) ? c : null;
      },
      'long reclaimed and claimed by another agent',
      30_000,
    );
    expect(redone.fence).toBeGreaterThan(claimed.fence);
    // the stale holder's completion is refused by the fence
    const stale = await h.fleet.run([
      'backlog',
      'complete',
      '--id',
      'long',
      '--owner',
      claimed.claim_owner!,
      '--fence',
      String(claimed.fence),
    ]);
    expect(stale.code).not.toBe(0);
    expect(stale.stderr).toMatch(/fence|owner/i);
    const done = await until(
      async () => {
        const c = (await h.client.backlog.show('long')).card;
        return c.status === 'done' ? c : null;
      },
      'long finished by the other agent',
      30_000,
    );
    const events = (await h.client.backlog.events({ id: 'long' })).events.map((e) => e.kind);
    expect(events).toEqual(expect.arrayContaining(['claimed', 'reclaimed', 'completed']));
    expect(events.filter((e) => e === 'completed')).toHaveLength(1);
    expect(done.fence).toBe(redone.fence);
  });

  it('backs off an agent that crashes on start, then marks it failed instead of a restart storm', async () => {
    const h = await harness([
      ...floor,
      {
        name: 'crashy',
        class: 'worker',
        env: { MOSAIC_STUB_CRASH_ON_START: '1' },
        extra:
          'restart: { max_restarts: 3, window_seconds: 300, min_uptime_seconds: 10, backoff_initial_seconds: 1, backoff_max_seconds: 2 }',
      },
    ]);
    const ps = await until(
      async () => {
        const rows = (
          await h.fleet.json<{
            agents: { name: string; failed: string | null; restarts: number }[];
          }>(['ps'])
        ).agents;
        return rows.find((r) => r.name === 'crashy' && r.failed) ?? null;
      },
      'crashy marked failed',
      60_000,
    );
    expect(ps.failed).toContain('max_restarts 3');
    const epochs = (await import('../lib/run/launch-state.js')).readLaunchState(
      fleetHome(h.fleet.home),
      'crashy',
    ).epoch;
    expect(epochs).toBe(3);
    // no storm: further ticks do not start it again
    await h.supervisor.tick();
    await h.supervisor.tick();
    expect(
      (await import('../lib/run/launch-state.js')).readLaunchState(
        fleetHome(h.fleet.home),
        'crashy',
      ).epoch,
    ).toBe(3);
    expect((await h.fleet.run(['ps'])).stdout).toMatch(/crashy: failed — restarted 3 times/);
  });

  it('halts recovery when several agents fail the way a bad credential does', async () => {
    const badKey = `command: ["sh", "-c", "echo 'Error: invalid API key'; sleep 2; exit 1"]`;
    const policy =
      'restart: { max_restarts: 10, window_seconds: 300, backoff_initial_seconds: 0, backoff_max_seconds: 0 }';
    const h = await harness([
      ...floor,
      { name: 'k1', class: 'worker', extra: `${badKey}\n${policy}` },
      { name: 'k2', class: 'worker', extra: `${badKey}\n${policy}` },
    ]);
    const halted = await until(
      () => h.supervisor.last?.reconcile?.halted ?? null,
      'recovery halted',
      30_000,
    );
    expect(halted).toMatch(/auth-like failures on k1, k2|auth-like failures on k2, k1/);
    const { readLaunchState } = await import('../lib/run/launch-state.js');
    const epochs = () => ['k1', 'k2'].map((n) => readLaunchState(fleetHome(h.fleet.home), n).epoch);
    const before = epochs();
    await h.supervisor.tick();
    await h.supervisor.tick();
    expect(epochs()).toEqual(before);
    expect(Math.max(...before)).toBeLessThan(10);
    // every edge shows the halt, and a resume from any of them lifts it: recovery starts again
    const status = JSON.parse((await h.fleet.run(['supervisor', 'status', '--json'])).stdout) as {
      pause: { paused: boolean; halted: string | null };
    };
    expect(status.pause).toMatchObject({ paused: false, halted: halted });
    const resumed = await h.fleet.run(['resume', '--json']);
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ paused: false, halted: null });
    // the supervisor's own ticks (every 300 ms here) start them again
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    await until(() => sum(epochs()) > sum(before), 'recovery resumed after fleet resume', 10_000);
  });

  it('honours PAUSE within one tick: no dispatch while paused, work resumes after', async () => {
    const h = await harness([...floor, ...workers(1)]);
    await until(
      async () =>
        (await h.fleet.json<{ agents: { name: string; readiness: string }[] }>(['ps'])).agents.find(
          (a) => a.name === 'w0',
        )?.readiness === 'available',
      'w0 available',
      30_000,
    );
    const paused = await h.fleet.run(['pause', '--reason', 'maintenance window']);
    expect(paused.code).toBe(0);
    expect(existsSync(path.join(h.fleet.home, 'run', 'PAUSED'))).toBe(true);
    await h.client.backlog.create({ id: 'p1', title: 'while paused', body: 'work: 0.2s' });
    const t1 = await h.supervisor.tick();
    const t2 = await h.supervisor.tick();
    expect(t1.paused && t2.paused).toBe(true);
    expect([...t1.dispatched, ...t2.dispatched]).toEqual([]);
    expect((await h.client.backlog.show('p1')).card.status).toBe('ready');
    const status = JSON.parse((await h.fleet.run(['ps', '--json'])).stdout) as {
      paused: { paused: boolean; reason: string };
    };
    expect(status.paused).toMatchObject({ paused: true, reason: 'maintenance window' });
    expect((await h.fleet.run(['resume'])).code).toBe(0);
    await until(
      async () => (await h.client.backlog.show('p1')).card.status === 'done',
      'p1 done after resume',
      30_000,
    );
  });

  it('runs the acceptance check in the agent working directory before the card counts', async () => {
    const h = await harness([...floor, ...workers(1)]);
    await h.client.backlog.create({
      id: 'chk',
      title: 'needs a file',
      body: 'work: 0.2s',
      acceptance: { criteria: ['ok file exists'], check: 'test -f ok.txt' },
      max_attempts: 1,
    });
    const blocked = await until(
      async () => {
        const c = (await h.client.backlog.show('chk')).card;
        return c.status === 'blocked' ? c : null;
      },
      'chk blocked after its failed check',
      30_000,
    );
    expect(blocked.last_error ?? blocked.blocked_reason).toMatch(/acceptance check failed/);
    // blocked after its last attempt: the orchestrator is told, once
    await until(
      async () =>
        /\[fleet escalation\] Card chk "needs a file" is blocked/.test(h.fleet.capture('orch')),
      'the escalation in the orchestrator pane',
      30_000,
    );
    await h.supervisor.tick();
    // the stub echoes what is typed and then says it received it: one `received` per send
    const told =
      h.fleet.capture('orch').match(/\[stub\] received[^\n]*\[fleet escalation\] Card chk /g) ?? [];
    expect(told).toHaveLength(1);
  });
});
