/**
 * A card with a control character must not wedge an agent: create refuses it (through the
 * built CLI and fleetd), and a card that still holds one (stored before the rule, written here
 * straight through the backlog service) is blocked with the reason instead of being claimed
 * forever; the same agent then takes and finishes the next card. A delivery the agent does not
 * accept releases the claim with the reason each time, and blocks the card once its attempts
 * are used up. Real tmux on its own socket, stub agents, PGlite through fleetd.
 */
import os from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import type { CardEventView, CardView } from '../lib/store/contract.js';
import { FLOOR, supervisedHarnesses, type Harness } from './support/supervised.js';
import { until, type AgentSpec } from './support/tmux-fleet.js';

const harnesses = supervisedHarnesses();
const harness = (agents: AgentSpec[]) => harnesses.start(agents, { deliverTimeoutMs: 5_000 });
afterEach((ctx) => harnesses.closeAll(ctx.task.result?.state === 'fail'));

const floor = FLOOR;

async function available(h: Harness, name: string): Promise<void> {
  await until(
    async () =>
      (await h.fleet.json<{ agents: { name: string; readiness: string }[] }>(['ps'])).agents.find(
        (a) => a.name === name,
      )?.readiness === 'available',
    `${name} available`,
    30_000,
  );
}

const card = async (h: Harness, id: string): Promise<CardView> =>
  (await h.client.backlog.show(id)).card;
const events = async (h: Harness, id: string): Promise<CardEventView[]> =>
  (await h.client.backlog.events({ id })).events;

describe('cards with control characters (real tmux, stub agents, PGlite through fleetd)', () => {
  it('refuses one at create through the built CLI: usage exit code, one line naming the field', async () => {
    const h = await harness([...floor]);
    const r = await h.fleet.run(['backlog', 'create', '--title', 'a\x1bb']);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/title: contains control character U\+001B at offset 1 \(ESC\)/);
    expect(lines[0]).not.toContain('\x1b');
    // the same through the socket API for the body and for an update; nothing was written
    await expect(h.client.backlog.create({ title: 'ok', body: 'stop\x03' })).rejects.toMatchObject({
      code: 'USAGE',
      message: expect.stringContaining('body: '),
    });
    await h.client.backlog.create({ id: 'fine', title: 'fine', body: 'tab\there\r\nnext' });
    await expect(h.client.backlog.update({ id: 'fine', title: 'x\x9b' })).rejects.toMatchObject({
      code: 'USAGE',
      message: expect.stringContaining('U+009B'),
    });
    const stored = await card(h, 'fine');
    expect(stored).toMatchObject({ title: 'fine', body: 'tab\there\nnext' });
    expect((await h.client.backlog.stats()).total).toBe(1);
  });

  it('blocks a stored card it cannot type, with the reason, and the agent takes the next card', async () => {
    const h = await harness([...floor, { name: 'w0', class: 'worker' }]);
    await available(h, 'w0');
    // an old row: written straight through the service, as before create refused it
    await h.fleetd.services.backlog.create({
      id: 'bad',
      title: 'clear the screen\x1b[2J',
      body: 'work: 0.2s',
    });
    const blocked = await until(
      async () => {
        const c = await card(h, 'bad');
        return c.status === 'blocked' ? c : null;
      },
      'bad blocked instead of held',
      30_000,
    );
    expect(blocked.claim_owner).toBeNull();
    expect(blocked.blocked_reason).toMatch(
      /title contains control character U\+001B at offset 16 \(ESC\)/,
    );
    const kinds = (await events(h, 'bad')).map((e) => e.kind);
    expect(kinds).toEqual(['created', 'claimed', 'blocked']);
    // the operator sees why in `fleet backlog events`
    const shown = await h.fleet.run(['backlog', 'events', '--id', 'bad']);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/bad blocked by supervisor@.*U\+001B at offset 16/);
    // nothing of it reached the agent
    expect(h.fleet.stubLog().some((l) => l.text.includes('clear the screen'))).toBe(false);

    await h.client.backlog.create({ id: 'next', title: 'a normal card', body: 'work: 0.2s' });
    const done = await until(
      async () => {
        const c = await card(h, 'next');
        return c.status === 'done' ? c : null;
      },
      'next done',
      30_000,
    );
    const claimed = (await events(h, 'next')).filter((e) => e.kind === 'claimed');
    expect(claimed.map((e) => e.actor.split('@')[0])).toEqual(['w0']);
    expect(done.attempts).toBe(1);
    expect(h.fleet.stubLog().filter((l) => l.text.includes('[fleet task next]'))).toHaveLength(1);
    // a few more ticks: the blocked card is not dispatched again
    for (let i = 0; i < 3; i++) await h.supervisor.tick();
    expect((await events(h, 'bad')).map((e) => e.kind)).toEqual(['created', 'claimed', 'blocked']);
  });

  it('frees an agent whose claim was already stuck on such a card before fleetd had this rule', async () => {
    const h = await harness([...floor, { name: 'w0', class: 'worker' }]);
    await available(h, 'w0');
    const { agents } = await h.fleet.json<{ agents: { name: string; epoch: number | null }[] }>([
      'ps',
    ]);
    const epoch = agents.find((a) => a.name === 'w0')!.epoch ?? 0;
    // the state an older fleetd left: the card claimed for w0, its prompt refused, the claim held
    await h.supervisor.setPause(true, 'test', 'stage an old claim');
    const { backlog } = h.fleetd.services;
    await backlog.create({ id: 'stuck', title: 'ring\x07 the bell', body: 'work: 0.2s' });
    const owner = `w0@${os.hostname()}#${epoch}`;
    expect(await backlog.claim({ id: 'stuck', owner, ttl_seconds: 30 })).toMatchObject({
      claim_owner: owner,
    });
    await h.supervisor.setPause(false, 'test');
    const blocked = await until(
      async () => {
        const c = await card(h, 'stuck');
        return c.status === 'blocked' ? c : null;
      },
      'stuck claim blocked',
      30_000,
    );
    expect(blocked.blocked_reason).toMatch(
      /title contains control character U\+0007 at offset 4 \(BEL\)/,
    );
    await h.client.backlog.create({ id: 'after', title: 'next one', body: 'work: 0.2s' });
    await until(async () => (await card(h, 'after')).status === 'done', 'after done', 30_000);
    const claimed = (await events(h, 'after')).filter((e) => e.kind === 'claimed');
    expect(claimed.map((e) => e.actor.split('@')[0])).toEqual(['w0']);
  });

  it('releases the claim with the reason when the agent does not take the prompt, then blocks the card', async () => {
    // the stub keeps a draft in its input line: every delivery is refused (refused_draft)
    const h = await harness([
      ...floor,
      { name: 'w0', class: 'worker', env: { MOSAIC_STUB_DRAFT: 'half typed' } },
    ]);
    await available(h, 'w0');
    await h.client.backlog.create({
      id: 'd1',
      title: 'never taken',
      body: 'work: 0.2s',
      max_attempts: 2,
    });
    const blocked = await until(
      async () => {
        const c = await card(h, 'd1');
        return c.status === 'blocked' ? c : null;
      },
      'd1 blocked after its attempts',
      60_000,
    );
    expect(blocked.claim_owner).toBeNull();
    expect(blocked.blocked_reason).toMatch(/^attempts exhausted \(2 of 2\): delivery to w0/);
    const failed = (await events(h, 'd1')).filter((e) => e.kind === 'failed');
    expect(failed).toHaveLength(2);
    for (const e of failed)
      expect(e.detail.reason).toMatch(/^delivery to w0 not accepted \(refused_draft: /);
    expect(failed.map((e) => e.detail.status)).toEqual(['ready', 'blocked']);
  });
});
