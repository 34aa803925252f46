/**
 * The backlog service suite, run the same way against both stores: through a real fleetd and
 * its Unix socket, on embedded PGlite and on PostgreSQL (DATABASE_URL). Cards get a class of
 * their own per test, and claims ask for that class, so tests sharing one fleetd never take each
 * other's work.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type { FleetdClient } from '../lib/client/fleetd.js';
import { FleetError } from '../lib/errors.js';
import { startTestFleetd, type Running, type StoreChoice } from './support/fleetd.js';

const HOST = 'host-a';
const TENANT = 'tenant-a';
let seq = 0;
const unique = (p: string) => `${p}-${++seq}-${process.pid}`;

async function refusal(p: Promise<unknown>): Promise<FleetError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof FleetError) return e;
    throw e;
  }
  throw new Error('expected the call to be refused');
}

describe.each<StoreChoice>(['pglite', 'postgres'])('backlog through fleetd on %s', (store) => {
  let run: Running;
  let api: FleetdClient;
  beforeAll(async () => {
    run = await startTestFleetd(store, { tenantId: TENANT, host: HOST });
    api = run.client;
  });
  afterAll(() => run?.close());

  /** n cards of a fresh class, created in order with the given priorities */
  async function cards(priorities: number[], extra: { phase?: string } = {}) {
    const cls = unique('cls');
    const ids: string[] = [];
    for (const priority of priorities) {
      const id = unique('card');
      await api.backlog.create({
        id,
        title: `work ${id}`,
        priority,
        assignee_class: cls,
        ...extra,
      });
      ids.push(id);
    }
    return { cls, ids };
  }

  it('answers health with its identity and store kind', async () => {
    const h = await api.health();
    expect(h).toMatchObject({ ok: true, tenant_id: TENANT, host: HOST, store: { kind: store } });
  });

  it('creates a card and shows it with its event, tenant and host', async () => {
    const id = unique('c');
    const created = await api.backlog.create({
      id,
      title: 'schema',
      body: 'write it',
      phase: 'M1',
      priority: 5,
      acceptance: { criteria: ['tables exist'], check: 'npm test' },
      projected_spend: 2.5,
      assignee_class: unique('cls'),
      actor: 'planner',
    });
    expect(created).toMatchObject({ tenant_id: TENANT, host: HOST, created: true });
    expect(created.card).toMatchObject({
      id,
      tenant_id: TENANT,
      host: HOST,
      status: 'ready',
      priority: 5,
      phase: 'M1',
      fence: 0,
      attempts: 0,
      max_attempts: 3,
      acceptance: { criteria: ['tables exist'], check: 'npm test' },
      projected_spend: 2.5,
    });
    const shown = await api.backlog.show(id);
    expect(shown.card).toEqual(created.card);
    expect(shown.events).toHaveLength(1);
    expect(shown.events[0]).toMatchObject({
      kind: 'created',
      actor: 'planner',
      tenant_id: TENANT,
      host: HOST,
      card_id: id,
    });
  });

  it('generates an id when none is given', async () => {
    const { card } = await api.backlog.create({ title: 'no id' });
    expect(card.id).toMatch(/^c-[a-z0-9]{10}$/);
    await api.backlog.block({ id: card.id, reason: 'keep it out of other tests' });
  });

  it('returns the existing card for a repeated idempotency key, and refuses a duplicate id', async () => {
    const key = unique('key');
    const id = unique('c');
    const cls = unique('cls');
    const first = await api.backlog.create({
      id,
      title: 'once',
      idempotency_key: key,
      assignee_class: cls,
    });
    const again = await api.backlog.create({
      id: unique('c'),
      title: 'twice',
      idempotency_key: key,
      priority: 9,
    });
    expect(again.created).toBe(false);
    expect(again.card).toEqual(first.card);
    const dup = await refusal(api.backlog.create({ id, title: 'same id', assignee_class: cls }));
    expect(dup.code).toBe('CONFLICT');
    expect(dup.message).toContain(id);
    const { events } = await api.backlog.show(id);
    expect(events.map((e) => e.kind)).toEqual(['created']);
  });

  it('refuses a dependency on an unknown card, naming it, and creates nothing', async () => {
    const id = unique('c');
    const e = await refusal(
      api.backlog.create({ id, title: 'x', depends_on: ['nope-1', 'nope-2'] }),
    );
    expect(e.code).toBe('NOT_FOUND');
    expect(e.message).toContain('"nope-1", "nope-2"');
    expect((await refusal(api.backlog.show(id))).code).toBe('NOT_FOUND');
  });

  it('claims the highest priority first, then the oldest, with a fence per claim', async () => {
    const { cls, ids } = await cards([1, 7, 7, 3]);
    const order: string[] = [];
    for (let i = 0; i < 4; i++) {
      const { card, tenant_id, host } = await api.backlog.claim({ owner: 'w1', class: cls });
      expect({ tenant_id, host }).toEqual({ tenant_id: TENANT, host: HOST });
      expect(card).toMatchObject({
        status: 'claimed',
        claim_owner: 'w1',
        claim_host: HOST,
        fence: 1,
        attempts: 1,
      });
      order.push(card!.id);
    }
    expect(order).toEqual([ids[1], ids[2], ids[3], ids[0]]);
    expect((await api.backlog.claim({ owner: 'w1', class: cls })).card).toBeNull();
  });

  it('claims cards of its class or of no class, never another class', async () => {
    const mine = await cards([1]);
    const other = await cards([100]);
    const anyone = await api.backlog.create({ id: unique('any'), title: 'anyone', priority: 50 });
    const first = await api.backlog.claim({ owner: 'w', class: mine.cls });
    expect(first.card?.id).toBe(anyone.card.id);
    const second = await api.backlog.claim({ owner: 'w', class: mine.cls });
    expect(second.card?.id).toBe(mine.ids[0]);
    expect((await api.backlog.claim({ owner: 'w', class: mine.cls })).card).toBeNull();
    const wrong = await refusal(
      api.backlog.claim({ owner: 'w', class: mine.cls, id: other.ids[0] }),
    );
    expect(wrong.message).toContain(`is for class ${other.cls}`);
    await api.backlog.complete({ id: anyone.card.id, owner: 'w', fence: 1 });
  });

  it('never claims a card before its dependencies are done', async () => {
    const { cls, ids } = await cards([1]);
    const [a] = ids as [string];
    const b = unique('b');
    await api.backlog.create({
      id: b,
      title: 'after a',
      priority: 99,
      assignee_class: cls,
      depends_on: [a],
    });
    expect((await api.backlog.show(b)).card).toMatchObject({ depends_on: [a], waiting_on: [a] });
    const first = await api.backlog.claim({ owner: 'w', class: cls });
    expect(first.card?.id).toBe(a);
    expect((await api.backlog.claim({ owner: 'w', class: cls })).card).toBeNull();
    const early = await refusal(api.backlog.claim({ owner: 'w', id: b }));
    expect(early).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining(`waits on ${a}`),
    });
    await api.backlog.complete({ id: a, owner: 'w', fence: first.card!.fence });
    expect((await api.backlog.show(b)).card.waiting_on).toEqual([]);
    expect((await api.backlog.claim({ owner: 'w', class: cls })).card?.id).toBe(b);
  });

  it('accepts renew, complete and fail only from the current owner with the current fence', async () => {
    const { cls, ids } = await cards([1]);
    const id = ids[0]!;
    const { card } = await api.backlog.claim({ owner: 'w1', class: cls, ttl_seconds: 60 });
    const before = await api.backlog.show(id);

    const wrongOwner = await refusal(api.backlog.complete({ id, owner: 'w2', fence: card!.fence }));
    expect(wrongOwner.code).toBe('CONFLICT');
    expect(wrongOwner.message).toContain('claimed by w1 with fence 1');
    expect((await refusal(api.backlog.renew({ id, owner: 'w1', fence: 7 }))).code).toBe('CONFLICT');
    expect((await refusal(api.backlog.fail({ id, owner: 'w2', fence: 1, reason: 'x' }))).code).toBe(
      'CONFLICT',
    );
    expect(await api.backlog.show(id)).toEqual(before);

    const renewed = await api.backlog.renew({ id, owner: 'w1', fence: 1, ttl_seconds: 3600 });
    expect(Date.parse(renewed.card.lease_expires_at!)).toBeGreaterThan(
      Date.parse(card!.lease_expires_at!),
    );
    // a claim held for long is renewed many times: its log keeps the latest renewal only
    for (let i = 0; i < 5; i++) await api.backlog.renew({ id, owner: 'w1', fence: 1 });
    const renewals = (await api.backlog.show(id)).events.filter((e) => e.kind === 'renewed');
    expect(renewals).toHaveLength(1);
    expect(renewals[0]!.detail).toMatchObject({ fence: 1, ttl_seconds: 900 });

    const failed = await api.backlog.fail({ id, owner: 'w1', fence: 1, reason: 'tests red' });
    expect(failed.card).toMatchObject({
      status: 'ready',
      last_error: 'tests red',
      claim_owner: null,
      attempts: 1,
    });
    expect((await refusal(api.backlog.complete({ id, owner: 'w1', fence: 1 }))).message).toContain(
      'it is ready',
    );

    const again = await api.backlog.claim({ owner: 'w2', class: cls });
    expect(again.card).toMatchObject({ id, fence: 2, attempts: 2 });
    const done = await api.backlog.complete({ id, owner: 'w2', fence: 2, actual_spend: 1.25 });
    expect(done.card).toMatchObject({ status: 'done', actual_spend: 1.25, lease_expires_at: null });
    expect(done.card.done_at).not.toBeNull();
    const kinds = (await api.backlog.show(id)).events.map((e) => e.kind);
    expect(kinds).toEqual(['created', 'claimed', 'renewed', 'failed', 'claimed', 'completed']);
  });

  it('blocks a card that fails its last attempt, with the reason; unblock starts afresh', async () => {
    const cls = unique('cls');
    const id = unique('c');
    await api.backlog.create({ id, title: 'flaky', assignee_class: cls, max_attempts: 2 });
    for (let fence = 1; fence <= 2; fence++) {
      await api.backlog.claim({ owner: 'w', class: cls });
      await api.backlog.fail({ id, owner: 'w', fence, reason: 'boom' });
    }
    const { card } = await api.backlog.show(id);
    expect(card).toMatchObject({
      status: 'blocked',
      blocked_reason: 'attempts exhausted (2 of 2): boom',
      attempts: 2,
    });
    expect((await api.backlog.claim({ owner: 'w', class: cls })).card).toBeNull();
    const unblocked = await api.backlog.unblock({ id, actor: 'op' });
    expect(unblocked.card).toMatchObject({ status: 'ready', attempts: 0, blocked_reason: null });
  });

  it('reclaims expired leases, and one card by id whatever its lease', async () => {
    const { cls, ids } = await cards([2, 1]);
    const expired = await api.backlog.claim({ owner: 'slow', class: cls, ttl_seconds: 0 });
    const held = await api.backlog.claim({ owner: 'busy', class: cls, ttl_seconds: 600 });
    const { reclaimed } = await api.backlog.reclaim({ actor: 'op' });
    expect(reclaimed).toContainEqual({
      id: ids[0],
      fence: 1,
      previous_owner: 'slow',
      status: 'ready',
    });
    expect(reclaimed.map((r) => r.id)).not.toContain(ids[1]);
    expect(
      (
        await refusal(
          api.backlog.complete({ id: ids[0]!, owner: 'slow', fence: expired.card!.fence }),
        )
      ).code,
    ).toBe('CONFLICT');
    const forced = await api.backlog.reclaim({ id: ids[1] });
    expect(forced.reclaimed).toEqual([
      { id: ids[1], fence: 1, previous_owner: 'busy', status: 'ready' },
    ]);
    expect(
      (await refusal(api.backlog.complete({ id: ids[1]!, owner: 'busy', fence: held.card!.fence })))
        .code,
    ).toBe('CONFLICT');
    expect((await refusal(api.backlog.reclaim({ id: ids[1] }))).message).toContain(
      'is ready, not claimed',
    );
    const next = await api.backlog.claim({ owner: 'w', class: cls, id: ids[0] });
    expect(next.card?.fence).toBe(2);
  });

  it('blocks a card whose lease expires on its last attempt', async () => {
    const cls = unique('cls');
    const id = unique('c');
    await api.backlog.create({ id, title: 'dies', assignee_class: cls, max_attempts: 1 });
    await api.backlog.claim({ owner: 'w', class: cls, ttl_seconds: 0 });
    const { reclaimed } = await api.backlog.reclaim();
    expect(reclaimed.find((r) => r.id === id)?.status).toBe('blocked');
    expect((await api.backlog.show(id)).card.blocked_reason).toBe(
      'attempts exhausted (1 of 1): lease expired',
    );
  });

  it('links and unlinks dependencies, refusing a cycle and naming it', async () => {
    const { ids } = await cards([0, 0, 0]);
    const [a, b, c] = ids as [string, string, string];
    await api.backlog.link({ id: b, depends_on: a });
    await api.backlog.link({ id: c, depends_on: b });
    await api.backlog.link({ id: c, depends_on: b });
    const cycle = await refusal(api.backlog.link({ id: a, depends_on: c }));
    expect(cycle.code).toBe('CONFLICT');
    expect(cycle.message).toContain(`${a} -> ${c} -> ${b} -> ${a}`);
    expect((await refusal(api.backlog.link({ id: a, depends_on: a }))).message).toContain(
      `${a} -> ${a}`,
    );
    expect((await refusal(api.backlog.link({ id: a, depends_on: 'missing' }))).code).toBe(
      'NOT_FOUND',
    );
    expect((await api.backlog.show(a)).card.depends_on).toEqual([]);

    await api.backlog.unlink({ id: c, depends_on: b });
    expect((await refusal(api.backlog.unlink({ id: c, depends_on: b }))).code).toBe('NOT_FOUND');
    const linked = await api.backlog.link({ id: a, depends_on: c });
    expect(linked.card).toMatchObject({ depends_on: [c], waiting_on: [c] });
    const kinds = (await api.backlog.show(c)).events.map((e) => e.kind);
    expect(kinds).toEqual(['created', 'linked', 'unlinked']);
  });

  it('refuses to add a dependency to a claimed card', async () => {
    const { cls, ids } = await cards([0, 0]);
    await api.backlog.claim({ owner: 'w', class: cls, id: ids[0] });
    const e = await refusal(api.backlog.link({ id: ids[0]!, depends_on: ids[1]! }));
    expect(e.message).toContain('is claimed');
  });

  it('blocks a claimed card so its holder can no longer complete it', async () => {
    const { cls, ids } = await cards([0]);
    const { card } = await api.backlog.claim({ owner: 'w', class: cls });
    const blocked = await api.backlog.block({
      id: ids[0]!,
      reason: 'needs a decision',
      actor: 'op',
    });
    expect(blocked.card).toMatchObject({
      status: 'blocked',
      blocked_reason: 'needs a decision',
      claim_owner: null,
    });
    expect(
      (await refusal(api.backlog.complete({ id: ids[0]!, owner: 'w', fence: card!.fence }))).code,
    ).toBe('CONFLICT');
    const ev = (await api.backlog.show(ids[0]!)).events.at(-1);
    expect(ev).toMatchObject({
      kind: 'blocked',
      actor: 'op',
      detail: { from: 'claimed', reason: 'needs a decision' },
    });
  });

  it('moves cards between board columns only where the move is legal', async () => {
    const { cls, ids } = await cards([0, 0]);
    const [a, b] = ids as [string, string];
    await api.backlog.link({ id: b, depends_on: a });
    expect((await refusal(api.backlog.move({ id: a, to: 'claimed' }))).message).toContain(
      'not moved to claimed',
    );
    expect((await refusal(api.backlog.move({ id: b, to: 'done' }))).message).toContain(
      `waits on ${a}`,
    );
    expect((await api.backlog.move({ id: a, to: 'blocked', actor: 'board' })).card.status).toBe(
      'blocked',
    );
    expect((await api.backlog.move({ id: a, to: 'ready', actor: 'board' })).card.status).toBe(
      'ready',
    );
    await api.backlog.claim({ owner: 'w', class: cls, id: a });
    expect((await api.backlog.move({ id: a, to: 'ready' })).card).toMatchObject({
      status: 'ready',
      claim_owner: null,
    });
    expect(
      (await api.backlog.move({ id: a, to: 'done', reason: 'done by hand' })).card.status,
    ).toBe('done');
    expect((await refusal(api.backlog.move({ id: a, to: 'ready' }))).message).toContain(
      'done is final',
    );
    const moved = (await api.backlog.show(a)).events
      .filter((e) => e.kind === 'moved')
      .map((e) => e.detail.to);
    expect(moved).toEqual(['blocked', 'ready', 'ready', 'done']);
  });

  it('updates the editable fields and records which changed', async () => {
    const { ids } = await cards([0]);
    const id = ids[0]!;
    const { card } = await api.backlog.update({
      id,
      title: 'renamed',
      priority: 42,
      phase: 'M2',
      assignee_class: null,
      actor: 'op',
    });
    expect(card).toMatchObject({
      title: 'renamed',
      priority: 42,
      phase: 'M2',
      assignee_class: null,
    });
    const ev = (await api.backlog.show(id)).events.at(-1);
    expect(ev).toMatchObject({
      kind: 'updated',
      actor: 'op',
      detail: { fields: ['title', 'phase', 'priority', 'assignee_class'] },
    });
    await api.backlog.block({ id, reason: 'keep it out of other tests' });
    expect((await refusal(api.backlog.update({ id: unique('missing'), title: 'x' }))).code).toBe(
      'NOT_FOUND',
    );
  });

  it('lists by status, phase, class, ready-only and failed-only', async () => {
    const phase = unique('phase');
    const { cls, ids } = await cards([1, 3, 2], { phase });
    const [a, b, c] = ids as [string, string, string];
    const tried = await api.backlog.claim({ owner: 'w', class: cls, id: c });
    await api.backlog.fail({ id: c, owner: 'w', fence: tried.card!.fence, reason: 'exit 1' });
    await api.backlog.link({ id: c, depends_on: a });
    expect(
      (await api.backlog.list({ class: cls, status: 'ready', failed_only: true })).cards,
    ).toMatchObject([{ id: c, last_error: 'exit 1' }]);
    await api.backlog.claim({ owner: 'w', class: cls, id: b });
    const byPhase = await api.backlog.list({ phase });
    expect(byPhase.cards.map((x) => x.id)).toEqual([b, c, a]);
    expect(byPhase).toMatchObject({ tenant_id: TENANT, host: HOST });
    expect(
      (await api.backlog.list({ class: cls, status: 'claimed' })).cards.map((x) => x.id),
    ).toEqual([b]);
    expect(
      (await api.backlog.list({ class: cls, ready_only: true })).cards.map((x) => x.id),
    ).toEqual([a]);
    expect((await api.backlog.list({ class: cls, limit: 1 })).cards).toHaveLength(1);
  });

  it('gives a dispatch pass the ready cards it could claim and the cards in progress, without their text', async () => {
    const { cls, ids } = await cards([1, 7, 3]);
    const [a, b, c] = ids as [string, string, string];
    const blockedOn = unique('dep');
    await api.backlog.create({
      id: blockedOn,
      title: 'waits',
      assignee_class: cls,
      depends_on: [a],
    });
    const claimedB = await api.backlog.claim({ owner: 'w0@host-b:1', class: cls, id: b });
    const backlog = run.fleetd.services.backlog;
    const mine = <T extends { id: string }>(rows: T[]) =>
      rows.filter((r) => [a, b, c, blockedOn].includes(r.id));
    const ready = mine(await backlog.readyToDispatch());
    // highest priority first; the card waiting on `a` is not claimable yet
    expect(ready.map((r) => r.id)).toEqual([c, a]);
    expect(ready[0]).toEqual({
      id: c,
      status: 'ready',
      priority: 3,
      created_at: expect.any(String) as string,
      assignee_class: cls,
      assignee: null,
      repo: null,
      paths: [],
      wait_reason: null,
      claim_owner: null,
    });
    expect(ready[0]).not.toHaveProperty('body');
    // claimed on any host counts as in progress, with its owner
    expect(mine(await backlog.inProgress())).toMatchObject([
      { id: b, status: 'claimed', claim_owner: 'w0@host-b:1' },
    ]);
    await api.backlog.complete({ id: b, owner: 'w0@host-b:1', fence: claimedB.card!.fence });
    expect(mine(await backlog.inProgress())).toEqual([]);
  });

  it('reads the cards of note in one go: blocked, and ready again after a failed attempt', async () => {
    const { cls, ids } = await cards([0, 0, 0, 0]);
    const [plain, failed, blocked, claimed] = ids as [string, string, string, string];
    const tried = await api.backlog.claim({ owner: 'w', class: cls, id: failed });
    await api.backlog.fail({ id: failed, owner: 'w', fence: tried.card!.fence, reason: 'exit 1' });
    await api.backlog.block({ id: blocked, reason: 'needs a key' });
    await api.backlog.claim({ owner: 'w', class: cls, id: claimed });
    const noted = (await run.fleetd.services.backlog.ofNote()).filter((c) => ids.includes(c.id));
    expect(noted.map((c) => [c.id, c.status]).sort()).toEqual(
      [
        [blocked, 'blocked'],
        [failed, 'ready'],
      ].sort(),
    );
    expect(noted.find((c) => c.id === failed)).toMatchObject({ last_error: 'exit 1' });
    expect(noted.map((c) => c.id)).not.toContain(plain);
  });

  it('waits for a card to become claimable and times out when none does', async () => {
    const { cls, ids } = await cards([0]);
    const first = await api.backlog.claim({ owner: 'w', class: cls });
    const b = unique('b');
    await api.backlog.create({ id: b, title: 'after', assignee_class: cls, depends_on: [ids[0]!] });
    const none = await api.backlog.wait({ timeout_ms: 200, class: cls });
    expect(none).toMatchObject({ ready: false, ready_eligible: 0, tenant_id: TENANT, host: HOST });
    const waiting = api.backlog.wait({ timeout_ms: 60_000, class: cls });
    await api.backlog.complete({ id: ids[0]!, owner: 'w', fence: first.card!.fence });
    expect(await waiting).toMatchObject({ ready: true, ready_eligible: 1 });
    expect(await api.backlog.wait({ timeout_ms: 60_000, class: cls })).toMatchObject({
      ready: true,
    });
  });

  it('keeps the event log in order with actor, tenant and host', async () => {
    const { cls, ids } = await cards([0]);
    const { events: before } = await api.backlog.events({ limit: 10_000 });
    const last = before.at(-1)?.seq ?? 0;
    const { card } = await api.backlog.claim({ owner: 'agent-7', class: cls });
    await api.backlog.complete({ id: ids[0]!, owner: 'agent-7', fence: card!.fence });
    const { events } = await api.backlog.events({ after_seq: last });
    expect(events.map((e) => [e.card_id, e.kind, e.actor, e.tenant_id, e.host])).toEqual([
      [ids[0], 'claimed', 'agent-7', TENANT, HOST],
      [ids[0], 'completed', 'agent-7', TENANT, HOST],
    ]);
    expect(events[0]!.seq).toBeLessThan(events[1]!.seq);
  });

  it('keeps fleet flags, and reads PAUSE (paused, since, by, reason) from the paused flag', async () => {
    expect(await api.flags.pause()).toMatchObject({
      paused: false,
      since: null,
      by: null,
      tenant_id: TENANT,
    });
    const since = new Date().toISOString();
    // setting PAUSE is the supervisor's route (it keeps run/PAUSED in step); the flag is the store half
    await api.flags.set({
      name: 'paused',
      value: { paused: true, since, reason: 'deploy' },
      by: 'alice',
    });
    expect(await api.flags.pause()).toEqual({
      tenant_id: TENANT,
      host: HOST,
      paused: true,
      since,
      by: 'alice',
      reason: 'deploy',
      drain: false,
      halted: null,
    });
    await api.flags.set({ name: 'paused', value: { paused: false }, by: 'alice' });
    expect(await api.flags.pause()).toMatchObject({
      paused: false,
      since: null,
      by: null,
      reason: null,
    });
    const flag = await api.flags.set({ name: 'dispatch.max', value: { n: 3 }, by: 'op' });
    expect(flag.flag).toMatchObject({
      name: 'dispatch.max',
      value: { n: 3 },
      set_by: 'op',
      tenant_id: TENANT,
      host: HOST,
    });
    expect((await api.flags.get('dispatch.max')).flag?.value).toEqual({ n: 3 });
    expect((await api.flags.get('unset')).flag).toBeNull();
  });

  it('opens the store to a SQL client through fleetd', async () => {
    const exposed = await api.db.expose();
    expect(exposed.kind).toBe(store);
    if (store === 'postgres') {
      expect(exposed.url).not.toMatch(/:[^/@]*@/);
      return;
    }
    const client = new pg.Client({ connectionString: exposed.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: string }>(
        'select count(*) as n from cards where tenant_id = $1',
        [TENANT],
      );
      const listed = await api.backlog.list({ limit: 10_000 });
      expect(Number(rows[0]!.n)).toBe(listed.cards.length);
    } finally {
      await client.end();
    }
    expect((await api.db.close()).closed).toBe(true);
    expect((await api.db.close()).closed).toBe(false);
  });
});

describe.each<StoreChoice>(['pglite', 'postgres'])('backlog stats on %s', (store) => {
  let run: Running;
  beforeAll(async () => {
    run = await startTestFleetd(store, { tenantId: TENANT, host: HOST });
  });
  afterAll(() => run?.close());

  it('counts by status, claimable cards, oldest ready age and expired claims', async () => {
    const api = run.client;
    const empty = await api.backlog.stats();
    expect(empty).toEqual({
      tenant_id: TENANT,
      host: HOST,
      counts: { ready: 0, claimed: 0, review: 0, blocked: 0, done: 0 },
      total: 0,
      ready_eligible: 0,
      oldest_ready_age_seconds: null,
      expired_claims: 0,
    });
    for (const id of ['a', 'b', 'c', 'd', 'e']) await api.backlog.create({ id, title: id });
    await api.backlog.link({ id: 'e', depends_on: 'd' });
    const a = await api.backlog.claim({ owner: 'w', id: 'a', ttl_seconds: 0 });
    await api.backlog.claim({ owner: 'w', id: 'b', ttl_seconds: 600 });
    await api.backlog.block({ id: 'c', reason: 'wait' });
    const s = await api.backlog.stats();
    expect(s.counts).toEqual({ ready: 2, claimed: 2, review: 0, blocked: 1, done: 0 });
    expect(s.total).toBe(5);
    expect(s.ready_eligible).toBe(1);
    expect(s.expired_claims).toBe(1);
    expect(s.oldest_ready_age_seconds).toEqual(expect.any(Number));
    await api.backlog.complete({ id: 'a', owner: 'w', fence: a.card!.fence });
    const after = await api.backlog.stats();
    expect(after.counts.done).toBe(1);
    expect(after.expired_claims).toBe(0);
  });
});

describe('the ready signal on PGlite, raised in the same turn as the write', () => {
  let run: Running;
  beforeAll(async () => {
    run = await startTestFleetd('pglite', { tenantId: TENANT, host: HOST });
  });
  afterAll(() => run?.close());

  /** whether the signal was raised by `write`: it is raised before the answer is sent */
  async function wakes(write: () => Promise<unknown>): Promise<boolean> {
    const next = run.fleetd.services.ready.next(TENANT, 60_000);
    await write();
    const woke = await Promise.race([next.promise, Promise.resolve(false)]);
    next.cancel();
    return woke;
  }

  it('a completion wakes waiting claimers only when a card depends on the completed one', async () => {
    const api = run.client;
    expect(await wakes(() => api.backlog.create({ id: 'lone', title: 'lone' }))).toBe(true);
    await api.backlog.create({ id: 'base', title: 'base' });
    await api.backlog.create({ id: 'next', title: 'after base', depends_on: ['base'] });
    const lone = await api.backlog.claim({ owner: 'w', id: 'lone' });
    const base = await api.backlog.claim({ owner: 'w', id: 'base' });
    const done = (id: string, fence: number) => () =>
      api.backlog.complete({ id, owner: 'w', fence });
    expect(await wakes(done('lone', lone.card!.fence))).toBe(false);
    expect(await wakes(done('base', base.card!.fence))).toBe(true);
    expect((await api.backlog.claim({ owner: 'w' })).card?.id).toBe('next');
  });
});
