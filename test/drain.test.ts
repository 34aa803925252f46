import { afterEach, describe, expect, it } from 'vitest';
import type { CardEventView } from '../lib/store/contract.js';
import { FLOOR, supervisedHarnesses, type Harness } from './support/supervised.js';
import { until, type AgentSpec } from './support/tmux-fleet.js';

/**
 * Drain (docs/operations.md "Drain") with stub agents in real tmux and fleetd's supervisor in
 * this process: PAUSE pulled as a drain, agents let finish their turns, the cards of those that
 * end a turn unfinished put back with a note, `fleet drain` reporting quiet or, on a timeout,
 * what is still working.
 */
const harnesses = supervisedHarnesses();
afterEach((ctx) => harnesses.closeAll(ctx.task.result?.state === 'fail'));

const workers = (n: number, extra?: string): AgentSpec[] =>
  Array.from({ length: n }, (_, i) => ({ name: `w${i}`, class: 'worker', extra }));

const events = async (h: Harness): Promise<CardEventView[]> =>
  (await h.client.backlog.events({ limit: 10_000 })).events;

describe('fleet drain', () => {
  it('no new claim after the drain starts; cards in flight finish; a turn ended unfinished puts its card back; quiet is reported', async () => {
    const h = await harness3();
    // w0 and w1 take a card each that lasts a few seconds; a third card waits for a free worker
    for (const id of ['a', 'b'])
      await h.client.backlog.create({ id, title: `card ${id}`, body: 'work: 4s' });
    await until(
      async () => (await h.client.backlog.list({ status: 'claimed' })).cards.length === 2,
      'two cards claimed',
    );
    // a card the stub only echoes: its turn ends without a completion (it holds the card)
    await h.client.backlog.create({ id: 'talk', title: 'just talk', body: 'say hello' });
    await until(
      async () => (await h.client.backlog.list({ status: 'claimed' })).cards.length === 3,
      'talk claimed',
    );
    await h.client.backlog.create({ id: 'later', title: 'later', body: 'work: 1s' });

    const drain = await h.fleet.run(['drain', '--timeout', '60']);
    expect(drain.stderr).toBe('');
    expect(drain.code).toBe(0);
    expect(drain.stdout).toMatch(/^draining since \S+: no new dispatch/m);
    expect(drain.stdout).toMatch(/w\d: working \(card [ab]\) since/);
    expect(drain.stdout).toMatch(/put back talk: w2 ended its turn without finishing it/);
    expect(drain.stdout).toMatch(
      /quiet after \d+\.\d s: no agent works or holds a card; 1 card put back\. The fleet stays drained/,
    );

    // the cards in flight finished; the unfinished one is ready again with its note; the new
    // card was not dispatched
    const byId = new Map((await h.client.backlog.list({})).cards.map((c) => [c.id, c]));
    expect(byId.get('a')!.status).toBe('done');
    expect(byId.get('b')!.status).toBe('done');
    expect(byId.get('talk')!.status).toBe('ready');
    expect(byId.get('later')!.status).toBe('ready');
    const ev = await events(h);
    const putBack = ev.find((e) => e.card_id === 'talk' && e.kind === 'reclaimed')!;
    expect(putBack.actor).toBe('drain');
    expect(putBack.detail).toMatchObject({
      note: expect.stringContaining('drain: w2 ended its turn without finishing "just talk"'),
    });
    const pause = await h.client.flags.pause();
    expect(pause).toMatchObject({ paused: true, drain: true });
    const since = Date.parse(pause.since!);
    expect(ev.filter((e) => e.kind === 'claimed' && Date.parse(e.at) > since)).toEqual([]);

    // shown as a drain
    const ps = await h.fleet.run(['ps']);
    expect(ps.stdout).toMatch(/^DRAINING \(PAUSE while every agent finishes its turn/m);

    // resume ends it, and work goes on
    expect((await h.fleet.run(['resume'])).stdout).toContain('resumed');
    await until(
      async () => (await h.client.backlog.list({ status: 'done' })).cards.length >= 3,
      'later done after resume',
      60_000,
    );
    expect((await h.client.flags.pause()).drain).toBe(false);
  });

  it('a stuck agent: the drain times out naming it, and the fleet stays drained', async () => {
    const h = await harnesses.start([
      ...FLOOR,
      { name: 'stuck', class: 'worker', env: { MOSAIC_STUB_BUSY: '1' } },
    ]);
    await until(() => {
      try {
        return h.fleet.capture('stuck').includes('busy forever');
      } catch {
        return false;
      }
    }, 'stuck agent up');
    const r = await h.fleet.run(['drain', '--timeout', '3']);
    expect(r.code).toBe(11);
    expect(r.stderr).toMatch(
      /drain not quiet after 3 s: still stuck: working since \S+\. The fleet stays drained \(fleet resume to go on\)/,
    );
    const json = await h.fleet.run(['drain', '--timeout', '1', '--json']);
    expect(json.code).toBe(11);
    const status = JSON.parse(json.stdout) as {
      draining: boolean;
      quiet: boolean;
      working: unknown[];
    };
    expect(status).toMatchObject({ draining: true, quiet: false });
    expect(status.working).toEqual([
      expect.objectContaining({ agent: 'stuck', state: 'working', card: null }),
    ]);
    expect(await h.client.flags.pause()).toMatchObject({ paused: true, drain: true });
  });

  async function harness3(): Promise<Harness> {
    return harnesses.start([...FLOOR, ...workers(3)], { leaseTtlSeconds: 60 });
  }
});
