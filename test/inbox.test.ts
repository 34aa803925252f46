/**
 * The attention inbox end to end (docs/attention.md): fleetd in this process with its
 * supervisor, real tmux, stub agents raising what needs a human, PGlite. Items are raised from
 * what fleetd gathers, answered through the existing verified paths, clear themselves when their
 * cause goes, and they and their acknowledgements survive a fleetd restart.
 */
import { writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { AttentionItem } from '@/lib/attention/types.js';
import { fleetHome } from '@/lib/home.js';
import { writeTakeover } from '@/lib/run/takeover.js';
import { FLOOR, startSupervised, supervisedHarnesses, type Harness } from './support/supervised.js';
import { runFleet } from './support/fleet-cli.js';
import { until } from './support/tmux-fleet.js';

const harnesses = supervisedHarnesses();
afterEach((ctx) => harnesses.closeAll(ctx.task.result?.state === 'fail'));

const BY = 'test:operator';

/** The pane's text, or '' while its tmux server is not up yet. */
function screen(h: Harness, name: string): string {
  try {
    return h.fleet.capture(name);
  } catch {
    return '';
  }
}

async function item(
  h: Harness,
  match: (i: AttentionItem) => boolean,
  what: string,
  timeoutMs = 20_000,
): Promise<AttentionItem> {
  return until(
    async () => (await h.client.inbox.list()).items.find(match) ?? null,
    what,
    timeoutMs,
  );
}

async function gone(h: Harness, id: string, what: string): Promise<void> {
  await until(async () => !(await h.client.inbox.list()).items.some((i) => i.id === id), what);
}

describe('permission prompts', () => {
  it('raise an item with the screen as evidence; approve and deny press the runtime’s keys, verified', async () => {
    const h = await harnesses.start([
      ...FLOOR,
      { name: 'w1', class: 'worker', env: { MOSAIC_STUB_ASK_PERMISSION: '1' } },
    ]);
    await until(() => screen(h, 'w1').includes('stub>'), 'w1 at its prompt');
    const sent = await h.fleet.run(['agent', 'send', 'w1', '--no-label', 'task t1 1']);
    expect(sent.code, sent.stderr).toBe(0);
    const asked = await item(
      h,
      (i) => i.reason === 'permission' && i.agent === 'w1',
      'a permission item',
    );
    expect(asked.evidence).toContain('Allow this command?');
    expect(asked.actions).toEqual(['approve', 'deny', 'reply']);
    expect(asked.link).toBe('/agents/w1');
    expect(asked).toMatchObject({ tenant_id: 'default', card: null, acked_at: null });

    // the CLI lists it, and its evidence
    const cli = await runFleet(h.fleet.home, ['inbox', '--evidence'], h.fleet.env);
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout).toContain(asked.id);
    expect(cli.stdout).toContain('Allow this command?');

    const approved = await h.client.inbox.act({ id: asked.id, action: 'approve', by: BY });
    expect(approved.message).toMatch(/approved/);
    await until(() => screen(h, 'w1').includes('[stub] approved'), 'the stub approved');
    await gone(h, asked.id, 'the approved item to clear');

    // an answered item cannot be answered twice
    await expect(h.client.inbox.act({ id: asked.id, action: 'approve', by: BY })).rejects.toThrow(
      /already resolved/,
    );

    await until(() => screen(h, 'w1').includes('[stub] done t1'), 't1 worked');
    await h.fleet.run(['agent', 'send', 'w1', '--no-label', 'task t2 1']);
    const again = await item(
      h,
      (i) => i.reason === 'permission' && i.agent === 'w1' && i.id !== asked.id,
      'a second permission item',
    );
    const denied = await runFleet(h.fleet.home, ['inbox', 'act', again.id, 'deny'], h.fleet.env);
    expect(denied.code, denied.stderr).toBe(0);
    expect(denied.stdout).toMatch(/denied/);
    await until(() => screen(h, 'w1').includes('[stub] denied'), 'the stub denied');
    await gone(h, again.id, 'the denied item to clear');
  });

  it('a reply is typed literally; acknowledgements survive a fleetd restart', async () => {
    const h = await harnesses.start([...FLOOR, { name: 'w1', class: 'worker' }]);
    await until(() => screen(h, 'w1').includes('stub>'), 'w1 at its prompt');
    await h.fleet.run(['agent', 'send', 'w1', '--verify', '--no-label', 'ask which branch?']);
    const q = await item(h, (i) => i.reason === 'question' && i.agent === 'w1', 'a question item');
    expect(q.evidence).toContain('waiting for human: which branch?');
    expect(q.actions).toEqual(['reply']);

    const acked = await runFleet(h.fleet.home, ['inbox', 'ack', q.id], h.fleet.env);
    expect(acked.code, acked.stderr).toBe(0);
    const list = await h.client.inbox.list();
    expect(list.items.find((i) => i.id === q.id)).toMatchObject({ acked_by: expect.any(String) });
    expect(list.unacked).toBe(list.items.filter((i) => !i.acked_at).length);

    // fleetd restarts on the same store: the same item, still acknowledged
    await h.fleetd.stop();
    const again = await startSupervised(h.fleet, {
      reapIntervalMs: 500,
      tickMs: 300,
      log: (l) => h.logs.push(l),
    });
    h.fleetd = again.fleetd;
    h.supervisor = again.supervisor;
    await h.supervisor.tick();
    const after = (await h.client.inbox.list()).items.find((i) => i.id === q.id);
    expect(after).toMatchObject({ id: q.id, since: q.since, acked_at: expect.any(String) });

    const hostile = 'main; $(rm -rf /) `id` \u00e9';
    const r = await h.client.inbox.act({ id: q.id, action: 'reply', text: hostile, by: BY });
    expect(r.message).toMatch(/delivered to w1/);
    await until(
      () => h.fleet.stubLog().some((m) => m.text === `[from ${BY}] ${hostile}`),
      'the reply received literally',
    );
    await gone(h, q.id, 'the answered question to clear');
    // a control character is refused, not typed
    await h.fleet.run(['agent', 'send', 'w1', '--verify', '--no-label', 'ask again?']);
    const q2 = await item(h, (i) => i.reason === 'question' && i.id !== q.id, 'another question');
    await expect(
      h.client.inbox.act({ id: q2.id, action: 'reply', text: 'stop\u0003now', by: BY }),
    ).rejects.toThrow(/control character U\+0003/);
  });
});

describe('fleet facts', () => {
  it('PAUSE, a blocked card, a failed check, a long takeover and a broken roster raise items; their answers clear them', async () => {
    const h = await harnesses.start([...FLOOR, { name: 'w1', class: 'worker' }], {
      takeoverHeldSeconds: 1,
    });
    await h.client.flags.setPause({ paused: true, by: BY, reason: 'inbox test' });
    const p = await item(h, (i) => i.reason === 'paused', 'a paused item');
    expect(p.title).toContain('inbox test');
    await h.client.inbox.act({ id: p.id, action: 'resume_fleet', by: BY });
    expect((await h.client.flags.pause()).paused).toBe(false);
    await gone(h, p.id, 'the paused item to clear');

    // a card that fails its only attempt's check is blocked; retry puts it back
    await h.client.backlog.create({
      id: 'chk',
      title: 'checked card',
      body: 'work: 0.2s',
      max_attempts: 1,
      acceptance: { criteria: ['false passes'], check: 'false' },
    });
    const blocked = await item(
      h,
      (i) => i.reason === 'card_blocked' && i.card === 'chk',
      'a blocked card',
      40_000,
    );
    expect(blocked.evidence).toMatch(/acceptance check failed/);
    expect(blocked.link).toBe('/backlog?card=chk');
    await h.client.flags.setPause({ paused: true, by: BY, reason: 'hold the retry' });
    const retried = await h.client.inbox.act({ id: blocked.id, action: 'retry_card', by: BY });
    expect(retried.message).toMatch(/ready again/);
    await gone(h, blocked.id, 'the blocked item to clear');
    await h.client.flags.setPause({ paused: false, by: BY });

    // a takeover held past the threshold; release ends it
    const home = fleetHome(h.fleet.home);
    writeTakeover(home, 'w1', {
      who: 'alice',
      host: 'elsewhere',
      pid: 1,
      since: new Date(Date.now() - 5_000).toISOString(),
    });
    const held = await item(
      h,
      (i) => i.reason === 'takeover_held' && i.agent === 'w1',
      'a takeover item',
    );
    expect(held.title).toMatch(/alice has held w1/);
    await h.client.inbox.act({ id: held.id, action: 'release_takeover', by: BY });
    await gone(h, held.id, 'the takeover item to clear');

    // a roster that does not load
    const good = (await import('node:fs')).readFileSync(home.roster, 'utf8');
    writeFileSync(home.roster, good + '\nbogus_key: 1\n');
    const bad = await item(h, (i) => i.reason === 'roster_invalid', 'a roster item');
    expect(bad.evidence).toContain('bogus_key');
    expect(bad.link).toBe('/roster');
    writeFileSync(home.roster, good);
    await gone(h, bad.id, 'the roster item to clear');
  });

  it('an agent whose restarts ran out is raised as failed; restart answers it', async () => {
    const crashy =
      'command: ["sh", "-c", "echo starting; sleep 0.5; exit 3"]\n' +
      'restart: { max_restarts: 1, window_seconds: 300, backoff_initial_seconds: 0, backoff_max_seconds: 0 }';
    const h = await harnesses.start([...FLOOR, { name: 'crashy', class: 'worker', extra: crashy }]);
    const failed = await item(
      h,
      (i) => i.reason === 'failed' && i.agent === 'crashy',
      'a failed item',
      40_000,
    );
    expect(failed.actions).toEqual(['restart_agent']);
    const r = await h.client.inbox.act({ id: failed.id, action: 'restart_agent', by: BY });
    expect(r.message).toMatch(/restarted crashy/);
  });
});

describe('rate limits', () => {
  it('an agent at its usage limit gets no new card and is resumed at its reset time', async () => {
    const h = await harnesses.start([
      ...FLOOR,
      { name: 'w1', class: 'worker', env: { MOSAIC_STUB_RATE_LIMIT: '3' } },
    ]);
    await until(() => screen(h, 'w1').includes('stub>'), 'w1 at its prompt');
    await h.client.backlog.create({ id: 'r1', title: 'first', body: 'work: 0.3s' });
    const limited = await item(
      h,
      (i) => i.reason === 'rate_limited' && i.agent === 'w1',
      'a rate-limit item',
    );
    expect(limited.reset_at).not.toBeNull();
    expect(limited.actions).toContain('resume_agent');
    await h.client.backlog.create({ id: 'r2', title: 'second', body: 'work: 0.3s' });
    // r1 is held by the limited agent, and r2 waits: dispatch passes w1 by
    await h.supervisor.tick();
    expect((await h.client.backlog.show('r2')).card.status).toBe('ready');
    // at the reset time (plus a short grace) fleetd tells it to go on
    await until(
      async () => (await h.client.backlog.stats()).counts.done === 2,
      'both cards done after the reset',
      40_000,
    );
    expect(h.logs.some((l) => /resumed rate-limited w1: submitted/.test(l))).toBe(true);
    await gone(h, limited.id, 'the rate-limit item to clear');
  });
});
