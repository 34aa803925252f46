/**
 * Several hosts, one PostgreSQL (docs/architecture.md "Multi-host"): fleetds with their own homes and
 * host names share a database. Claims across them never collide, a completion on one host wakes
 * the other's waiters through LISTEN/NOTIFY, and rows carry tenant and host.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildDag } from './support/dag.js';
import { finish, records, spawnWorker, startTestFleetd, type Running } from './support/fleetd.js';
import { createDatabase } from './support/postgres.js';

describe('two hosts on one PostgreSQL', () => {
  let db: Awaited<ReturnType<typeof createDatabase>>;
  let a: Running;
  let b: Running;
  let c: Running;
  let other: Running;
  beforeAll(async () => {
    db = await createDatabase(inject('databaseUrl'));
    [a, b, c, other] = await Promise.all([
      startTestFleetd('postgres', { databaseUrl: db.url, host: 'host-a', tenantId: 'acme' }),
      startTestFleetd('postgres', { databaseUrl: db.url, host: 'host-b', tenantId: 'acme' }),
      startTestFleetd('postgres', { databaseUrl: db.url, host: 'host-c', tenantId: 'acme' }),
      startTestFleetd('postgres', { databaseUrl: db.url, host: 'host-c', tenantId: 'globex' }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([a, b, c, other].map((r) => r?.close()));
    await db?.drop();
  });

  it('shares cards between hosts, each record naming the host that acted', async () => {
    await a.client.backlog.create({ id: 'shared-1', title: 'from a', assignee_class: 'mh' });
    const seen = await b.client.backlog.show('shared-1');
    expect(seen.card).toMatchObject({ host: 'host-a', tenant_id: 'acme' });
    const claimed = await b.client.backlog.claim({ owner: 'bee', class: 'mh' });
    expect(claimed).toMatchObject({
      host: 'host-b',
      card: { id: 'shared-1', claim_host: 'host-b' },
    });
    await a.client.backlog.complete({ id: 'shared-1', owner: 'bee', fence: 1 });
    const { events } = await b.client.backlog.show('shared-1');
    expect(events.map((e) => [e.kind, e.host])).toEqual([
      ['created', 'host-a'],
      ['claimed', 'host-b'],
      ['completed', 'host-a'],
    ]);
  });

  it("wakes one host's waiters when another host makes a card ready", async () => {
    await a.client.backlog.create({ id: 'gate', title: 'gate', assignee_class: 'wake' });
    await a.client.backlog.create({
      id: 'after-gate',
      title: 'after',
      assignee_class: 'wake',
      depends_on: ['gate'],
    });
    const { card } = await a.client.backlog.claim({ owner: 'w', class: 'wake', id: 'gate' });
    // Only a NOTIFY from host-b's fleetd can raise host-a's in-process signal.
    const woke = a.fleetd.services.ready.next('acme', 60_000);
    await b.client.backlog.complete({ id: 'gate', owner: 'w', fence: card!.fence });
    expect(await woke.promise).toBe(true);
    expect(await a.client.backlog.wait({ timeout_ms: 60_000, class: 'wake' })).toMatchObject({
      ready: true,
      host: 'host-a',
    });
  });

  it("tells a host's panel of another host's card writes, and of its own once, not again by its own NOTIFY", async () => {
    const heard: { topic: string; key?: string }[] = [];
    const stop = a.fleetd.services.changes.subscribe((e) => heard.push(e));
    try {
      await a.client.backlog.create({ id: 'own-write', title: 'from a', assignee_class: 'pub' });
      await b.client.backlog.create({ id: 'their-write', title: 'from b', assignee_class: 'pub' });
      // NOTIFYs reach a listener in commit order: once b's is heard, a's own has been too
      const deadline = Date.now() + 30_000;
      while (!heard.some((e) => e.topic === 'backlog')) {
        if (Date.now() > deadline)
          throw new Error(`no backlog event from host-b: ${JSON.stringify(heard)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      await new Promise((r) => setTimeout(r, 200));
      expect(heard.filter((e) => e.topic === 'backlog')).toHaveLength(1);
      expect(heard.filter((e) => e.topic === 'card').map((e) => e.key)).toEqual(['own-write']);
    } finally {
      stop();
    }
  });

  it('keeps tenants apart on the same database', async () => {
    await other.client.backlog.create({ id: 'shared-1', title: 'same id, other tenant' });
    expect((await other.client.backlog.show('shared-1')).card).toMatchObject({
      tenant_id: 'globex',
      status: 'ready',
    });
    expect((await a.client.backlog.show('shared-1')).card).toMatchObject({
      tenant_id: 'acme',
      status: 'done',
    });
    expect((await other.client.backlog.list()).cards.map((c) => c.id)).toEqual(['shared-1']);
    await other.client.flags.set({
      name: 'paused',
      value: { paused: true, reason: 'globex only' },
      by: 'ops',
    });
    expect((await other.client.flags.pause()).paused).toBe(true);
    expect((await a.client.flags.pause()).paused).toBe(false);
  });

  it('workers on three hosts drain one DAG under load with every card claimed exactly once', async () => {
    const dag = buildDag(6, 50, 7).map((layer) =>
      layer.map((c) => ({ id: `mh-${c.id}`, deps: c.deps.map((d) => `mh-${d}`) })),
    );
    for (const layer of dag) {
      await Promise.all(
        layer.map((c) => a.client.backlog.create({ id: c.id, title: c.id, depends_on: c.deps })),
      );
    }
    // cards left ready by earlier tests would be drained too: park them
    for (const left of (await a.client.backlog.list({ status: 'ready' })).cards.filter(
      (c) => !c.id.startsWith('mh-'),
    )) {
      await a.client.backlog.block({ id: left.id, reason: 'not part of the drain' });
    }
    const hosts = [a, b, c];
    const workers = Array.from({ length: 9 }, (_, i) =>
      spawnWorker({
        mode: 'drain',
        home: hosts[i % 3]!.home.root,
        owner: `mh-${'abc'[i % 3]}-${i}`,
      }),
    );
    await Promise.all(workers.map(finish));
    const claims = workers.flatMap((w) => records(w).filter((r) => r.t === 'claim'));
    const ids = dag.flat().map((c) => c.id);
    expect(claims.map((c) => c.id).sort()).toEqual([...ids].sort());
    const { events } = await b.client.backlog.events({ limit: 10_000 });
    const claimHosts = new Set(
      events.filter((e) => e.kind === 'claimed' && e.card_id.startsWith('mh-')).map((e) => e.host),
    );
    expect(claimHosts).toEqual(new Set(['host-a', 'host-b', 'host-c']));
    for (const id of ids) {
      expect(
        events.filter((e) => e.card_id === id && e.kind === 'claimed'),
        id,
      ).toHaveLength(1);
    }
  });
});
