/**
 * PostgreSQL going away mid-run (docs/pitfalls.md "PostgreSQL goes away"): a TCP proxy between
 * a supervised fleetd and the shared test PostgreSQL cuts every connection and refuses new ones
 * for a few seconds, then lets them through again. The shared server itself is never stopped
 * (other suites use it). While the store is away the agents keep running in tmux, local verbs
 * work, store verbs fail with one clear line, and fleetd says so once; afterwards it works again
 * without a restart and nothing acknowledged is lost.
 */
import net from 'node:net';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { HostView } from '@/lib/fleet/hosts.js';
import type { PsRow } from '@/lib/fleet/ps.js';
import { READY_CHANNEL } from '@/lib/store/context.js';
import { openStore } from '@/lib/store/db.js';
import { createDatabase } from './support/postgres.js';
import { FLOOR, supervisedHarnesses } from './support/supervised.js';
import { until } from './support/tmux-fleet.js';

/** A TCP proxy that can drop every connection and refuse new ones (its port stays the same). */
interface Proxy {
  url: string;
  /** close every connection and stop accepting: clients get ECONNREFUSED */
  cut(): Promise<void>;
  /** accept connections again, on the same port */
  restore(): Promise<void>;
  close(): Promise<void>;
}

async function tcpProxy(targetUrl: string): Promise<Proxy> {
  const target = new URL(targetUrl);
  const sockets = new Set<net.Socket>();
  const track = (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined); // the cut itself, seen from either side
  };
  let server: net.Server | null = null;
  let port = 0;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const srv = net.createServer((client) => {
        const upstream = net.connect(Number(target.port || 5432), target.hostname);
        track(client);
        track(upstream);
        client.pipe(upstream).pipe(client);
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
      });
      srv.once('error', reject);
      srv.listen(port, '127.0.0.1', () => {
        port = (srv.address() as net.AddressInfo).port;
        server = srv;
        resolve();
      });
    });
  const stop = async () => {
    const srv = server;
    server = null;
    const closed = srv && new Promise<void>((r) => srv.close(() => r()));
    for (const s of sockets) s.destroy();
    await closed;
  };
  await listen();
  const url = new URL(targetUrl);
  url.host = `127.0.0.1:${port}`;
  return { url: url.toString(), cut: stop, restore: listen, close: stop };
}

interface Ps {
  agents: PsRow[];
}

const harnesses = supervisedHarnesses();
let db: Awaited<ReturnType<typeof createDatabase>>;
let proxy: Proxy;
/** fleetd runs in this process: an exception nobody caught would have ended it */
const uncaught: unknown[] = [];
const onUncaught = (e: unknown) => uncaught.push(e);
beforeAll(async () => {
  process.on('uncaughtExceptionMonitor', onUncaught);
  db = await createDatabase(inject('databaseUrl'));
  proxy = await tcpProxy(db.url);
});
afterEach((ctx) => harnesses.closeAll(ctx.task.result?.state === 'fail'));
afterAll(async () => {
  process.off('uncaughtExceptionMonitor', onUncaught);
  await proxy?.close();
  await db?.drop();
});

const AGENTS = [...FLOOR, { name: 'w0', class: 'worker' }];
const STORE_LINE = /unreachable/i;

describe('PostgreSQL goes away mid-run', () => {
  it('keeps the agents running, fails store verbs with one clear line, says so once, and recovers losing nothing acknowledged', async () => {
    // The test server trusts local connections, so a password in the URL is ignored by it but
    // still handed to fleetd: nothing fleetd prints or answers may contain it.
    const url = new URL(proxy.url);
    const secret = url.password || 'outage-secret-pw';
    url.password = secret;
    const h = await harnesses.start(AGENTS, { databaseUrl: url.toString(), host: 'outage-host' });
    const ps = () => h.fleet.json<Ps>(['ps']);
    const panePids = () => Object.fromEntries(AGENTS.map((a) => [a.name, h.fleet.panePid(a.name)]));
    await until(
      async () => (await ps()).agents.filter((a) => a.readiness === 'available').length === 3,
      'the fleet available',
    );

    // acknowledged before the outage: three cards worked and completed, one left ready
    for (const i of [1, 2, 3])
      await h.client.backlog.create({ id: `pre-${i}`, title: `before ${i}`, body: 'work: 0.2s' });
    await h.client.backlog.create({ id: 'parked', title: 'for nobody', assignee_class: 'nobody' });
    await until(
      async () => (await h.client.backlog.stats()).counts.done === 3,
      'the cards before the outage done',
      60_000,
    );
    const before = (await h.client.backlog.list({ limit: 100 })).cards;
    const pids = panePids();

    // a transaction in flight when the store goes (as a claim or completion would be): its
    // connection is checked out of the pool, where node-postgres's 'error' has no listener
    let goOn!: () => void;
    const held = new Promise<void>((r) => (goOn = r));
    let begun!: () => void;
    const inside = new Promise<void>((r) => (begun = r));
    const inFlight = h.fleetd.services.store.db
      .transaction(async (tx) => {
        await tx.execute(sql`select 1`);
        begun();
        await held;
        await tx.execute(sql`select 1`);
      })
      .then(
        () => null,
        (e: unknown) => e,
      );
    await inside;

    // the outage
    const mark = h.logs.length;
    await proxy.cut();
    const cutAt = Date.now();
    goOn();
    const txError = await inFlight;
    expect(h.fleetd.services.store.unreachable(txError)?.code).toBe('STORE_UNAVAILABLE');

    const backlogList = await h.fleet.run(['backlog', 'list']);
    const create = await h.fleet.run(['backlog', 'create', '--id', 'during', '--title', 'x']);
    for (const r of [backlogList, create]) {
      expect(r.code, r.stderr).toBe(12); // README "CLI reference": the store is unreachable
      expect(r.stdout).toBe('');
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines, r.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(/^fleet: .*store.*unreachable/i);
      expect(r.stderr).not.toContain(secret);
    }

    // let many ticks and reaper runs pass with the store away
    while (Date.now() - cutAt < 5_000) {
      const now = await ps();
      expect(now.agents.map((a) => [a.name, a.session, a.pane_pid, a.restarts])).toEqual(
        AGENTS.map((a) => [a.name, 'alive', pids[a.name], 0]),
      );
      expect((await h.client.health()).pid).toBe(process.pid);
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(panePids()).toEqual(pids);
    const during = h.logs.slice(mark);

    // the store comes back: fleetd works again without a restart
    await proxy.restore();
    const backAt = new Date();
    await until(async () => (await h.fleet.run(['backlog', 'list'])).code === 0, 'backlog again');
    const fresh = await until(async () => {
      const r = await h.fleet.run(['ps', '--all-hosts', '--json']);
      if (r.code !== 0) return null;
      const host = (JSON.parse(r.stdout) as { hosts: HostView[] }).hosts.find(
        (x) => x.host === 'outage-host',
      );
      return host?.reachable && Date.parse(host.last_seen_at!) >= backAt.getTime() ? host : null;
    }, 'the host row fresh again');
    expect(fresh.agents.map((a) => [a.name, a.session, a.pane_pid]).sort()).toEqual(
      AGENTS.map((a) => [a.name, 'alive', pids[a.name]]).sort(),
    );

    // LISTEN resumed: a NOTIFY from another connection (straight to the server) wakes fleetd
    const direct = new pg.Client({ connectionString: db.url });
    await direct.connect();
    try {
      await until(async () => {
        const woke = h.fleetd.services.ready.next('outage-probe', 300);
        await direct.query('select pg_notify($1, $2)', [READY_CHANNEL, 'outage-probe']);
        return woke.promise;
      }, 'a NOTIFY delivered through the re-subscribed listener');
    } finally {
      await direct.end();
    }

    // a new card is dispatched and completed by a stub agent
    await h.client.backlog.create({ id: 'post-1', title: 'after', body: 'work: 0.2s' });
    const post = await until(
      async () => {
        const c = (await h.client.backlog.show('post-1')).card;
        return c.status === 'done' ? c : null;
      },
      'post-1 done',
      30_000,
    );
    expect(post.claim_owner ?? '').toMatch(/^w0@/);

    // everything acknowledged before the outage is intact; the refused create left nothing
    const after = new Map(
      (await h.client.backlog.list({ limit: 100 })).cards.map((c) => [c.id, c]),
    );
    for (const c of before) expect(after.get(c.id), c.id).toEqual(c);
    const { events } = await h.client.backlog.events({ limit: 1000 });
    for (const id of ['pre-1', 'pre-2', 'pre-3'])
      expect(events.filter((e) => e.card_id === id).map((e) => e.kind)).toEqual([
        'created',
        'claimed',
        'completed',
      ]);
    expect(after.has('during')).toBe(false);
    expect(panePids()).toEqual(pids);

    // fleetd said it once per outage, and once that it is back; no stacks, no password
    const all = h.logs.slice(mark);
    console.log(
      `fleet backlog list while the store was away:\n${backlogList.stderr}` +
        `fleetd's log from the cut on:\n${all.join('\n')}`,
    );
    expect(
      during.filter((l) => STORE_LINE.test(l)),
      during.join('\n'),
    ).toHaveLength(1);
    expect(
      all.filter((l) => STORE_LINE.test(l)),
      all.join('\n'),
    ).toHaveLength(1);
    expect(
      all.filter((l) => /reachable again/i.test(l)),
      all.join('\n'),
    ).toHaveLength(1);
    expect(
      all.filter((l) => /\n\s+at /.test(l)),
      all.join('\n'),
    ).toEqual([]);
    expect(all.join('\n')).not.toContain(secret);
    expect(during.length, during.join('\n')).toBeLessThanOrEqual(2);
    expect(uncaught).toEqual([]);
  });

  it('a subscription that cannot connect is refused, not reported as a lost connection', async () => {
    await proxy.cut();
    const store = await openStore({ url: proxy.url });
    try {
      let lost = 0;
      const refused = await store.listen!(
        READY_CHANNEL,
        () => undefined,
        () => lost++,
      ).then(
        () => null,
        (e: unknown) => e,
      );
      expect(store.unreachable(refused)?.message).toMatch(/ECONNREFUSED/);
      await new Promise((r) => setTimeout(r, 300));
      // a "lost" subscription is retried by its caller: reporting one here as well would start
      // two retries per failed attempt
      expect(lost).toBe(0);
    } finally {
      await store.close();
      await proxy.restore();
    }
    expect(uncaught).toEqual([]);
  });
});
