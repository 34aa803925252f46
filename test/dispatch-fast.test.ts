// The fast dispatch pass (docs/architecture.md "Dispatch"): a card made ready, or an agent that
// became idle, is dispatched at once, apart from the tick, under the same rules and the same
// lock as the tick's own dispatch.
import { afterEach, describe, expect, it } from 'vitest';
import type { FleetDeps } from '../lib/fleet/deps.js';
import { FLOOR, supervisedHarnesses, type Harness } from './support/supervised.js';
import { until, type AgentSpec } from './support/tmux-fleet.js';

const harnesses = supervisedHarnesses();
afterEach((ctx) => harnesses.closeAll(ctx.task.result?.state === 'fail'));

const workers = (n: number): AgentSpec[] =>
  Array.from({ length: n }, (_, i) => ({ name: `w${i}`, class: 'worker' }));

/** Ticks only when asked (the interval is an hour): what moves a card here is the fast pass. */
const HOUR = 3_600_000;

async function available(h: Harness, names: string[]): Promise<void> {
  await until(
    async () => {
      const rows = (await h.fleet.json<{ agents: { name: string; readiness: string }[] }>(['ps']))
        .agents;
      return names.every((n) => rows.find((r) => r.name === n)?.readiness === 'available');
    },
    `${names.join(', ')} available`,
    30_000,
  );
}

describe('fast dispatch (real tmux, stub agents, PGlite)', () => {
  it('delivers a card created while a tick is running without waiting for that tick', async () => {
    // the next tick's `list-panes` is held until the test lets it go; the fast pass's is not
    let hold: Promise<void> | null = null;
    let release = () => {};
    let tickHeld = () => {};
    const held = new Promise<void>((r) => (tickHeld = r));
    const h = await harnesses.start([...FLOOR, ...workers(1)], {
      tickMs: HOUR,
      wrapDeps: (deps: FleetDeps) => {
        const list = deps.tmux.listPanes.bind(deps.tmux);
        deps.tmux.listPanes = async () => {
          const wait = hold;
          if (wait) {
            hold = null;
            tickHeld();
            await wait;
          }
          return list();
        };
        return deps;
      },
    });
    await available(h, ['w0']);
    hold = new Promise<void>((r) => (release = r));
    let tickDone = false;
    const tick = h.supervisor.tick().finally(() => (tickDone = true));
    await held;
    try {
      await h.client.backlog.create({ id: 'f1', title: 'during a tick', body: 'work: 0.2s' });
      await until(
        () => h.fleet.capture('w0').includes('[fleet task f1]'),
        'f1 typed into w0',
        20_000,
      );
      expect(tickDone).toBe(false);
      await until(
        async () => (await h.client.backlog.show('f1')).card.status === 'done',
        'f1 done',
        20_000,
      );
      expect(tickDone).toBe(false);
    } finally {
      release();
    }
    const report = await tick;
    expect(report.dispatched).toEqual([]);
  });

  it('gives an agent exactly one card when ready signals and ticks race', async () => {
    const h = await harnesses.start([...FLOOR, ...workers(1)], { tickMs: HOUR });
    await available(h, ['w0']);
    for (let i = 0; i < 4; i++)
      await h.client.backlog.create({ id: `r${i}`, title: `race ${i}`, body: 'work: 1s' });
    // every way into dispatch at once, several times, while the cards are ready
    await Promise.all(
      Array.from({ length: 4 }, () => [
        h.supervisor.tick(),
        h.supervisor.dispatchSoon(),
        h.supervisor.tick(),
        h.supervisor.dispatchSoon(),
      ]).flat(),
    );
    const claimed = async () => (await h.client.backlog.list({ status: 'claimed' })).cards;
    const looks: number[] = [];
    const end = Date.now() + 1500;
    while (Date.now() < end) {
      looks.push((await claimed()).length);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(Math.max(...looks)).toBe(1);
    await until(
      async () => (await h.client.backlog.stats()).counts.done === 4,
      'all four done, one after another',
      60_000,
    );
    // the stub received each card once, never a second one while it worked the first
    const tasks = h.fleet
      .stubLog()
      .map((l) => /\[fleet task (r\d)\]/.exec(l.text)?.[1])
      .filter(Boolean);
    expect([...tasks].sort()).toEqual(['r0', 'r1', 'r2', 'r3']);
    // w0's claims and completions alternate: it never held two cards at once
    const events = (await h.client.backlog.events({ limit: 1000 })).events;
    const order = events
      .filter((e) => e.kind === 'claimed' || e.kind === 'completed')
      .sort((a, b) => a.seq - b.seq)
      .map((e) => e.kind);
    expect(order).toEqual(Array.from({ length: 4 }, () => ['claimed', 'completed']).flat());
  });

  it('PAUSE stops the fast pass too: a card created while paused waits until resume', async () => {
    const h = await harnesses.start([...FLOOR, ...workers(1)], { tickMs: HOUR });
    await available(h, ['w0']);
    expect((await h.fleet.run(['pause', '--reason', 'fast path test'])).code).toBe(0);
    await h.client.backlog.create({ id: 'p1', title: 'while paused', body: 'work: 0.2s' });
    await h.supervisor.dispatchSoon();
    await h.supervisor.dispatchSoon();
    // what the ready signal and the state watch woke has run by now
    await new Promise((r) => setTimeout(r, 1000));
    await h.supervisor.idle();
    expect((await h.client.backlog.show('p1')).card.status).toBe('ready');
    expect(h.fleet.capture('w0')).not.toContain('[fleet task p1]');
    expect((await h.fleet.run(['resume'])).code).toBe(0);
    await h.supervisor.dispatchSoon();
    await until(
      async () => (await h.client.backlog.show('p1')).card.status === 'done',
      'p1 done after resume',
      20_000,
    );
  });
});
