/**
 * The event stream over a real HTTP server and the real hub: session, hello, replay from
 * Last-Event-ID and ?since=, reset, heartbeat, and no listener left behind when a client goes,
 * its session ends, or fleetd stops.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ChangeHub } from '@/lib/changes/hub.js';
import { eventStreams, lastSeenId, type EventStreams } from './events.js';

interface Client {
  status: number;
  /** everything received so far */
  text(): string;
  /** resolves once the received text matches */
  until(re: RegExp): Promise<string>;
  ended: Promise<void>;
  close(): void;
}

let server: http.Server | undefined;
afterEach(async () => {
  if (!server) return;
  const s = server;
  server = undefined;
  s.closeAllConnections();
  await new Promise((r) => s.close(r));
});

async function start(hub: ChangeHub, o: { heartbeatMs?: number; valid?: () => boolean } = {}) {
  const streams = eventStreams({
    hub,
    heartbeatMs: o.heartbeatMs ?? 60_000,
    authenticate: async (req) =>
      req.headers.cookie === 'session=ok' && (o.valid?.() ?? true)
        ? { id: 'u1', email: 'op@example.com', name: 'op' }
        : null,
    log: () => undefined,
  });
  server = http.createServer((req, res) => void streams.serve(req, res));
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const open = (path = '/api/v1/events', headers: Record<string, string> = {}) =>
    new Promise<Client>((resolve, reject) => {
      const req = http.get(
        { host: '127.0.0.1', port, path, headers: { cookie: 'session=ok', ...headers } },
        (res) => {
          let buf = '';
          const waiters: (() => void)[] = [];
          res.setEncoding('utf8');
          res.on('data', (d: string) => {
            buf += d;
            for (const w of waiters.splice(0)) w();
          });
          const ended = new Promise<void>((r) => res.once('close', () => r()));
          resolve({
            status: res.statusCode ?? 0,
            text: () => buf,
            ended,
            close: () => req.destroy(),
            until: (re) =>
              new Promise((ok, fail) => {
                const check = () => {
                  if (re.test(buf)) return ok(buf);
                  waiters.push(check);
                };
                void ended.then(() => (re.test(buf) ? ok(buf) : fail(new Error(`ended: ${buf}`))));
                check();
              }),
          });
        },
      );
      req.on('error', reject);
    });
  return { streams, open };
}

const settle = async (streams: EventStreams, hub: ChangeHub) => {
  for (let i = 0; i < 50 && (streams.open || hub.listenerCount); i++)
    await new Promise((r) => setTimeout(r, 10));
};

describe('the event stream', () => {
  it('refuses a request without a session, with the API error body', async () => {
    const hub = new ChangeHub({ base: 0 });
    const { open } = await start(hub);
    const c = await open('/api/v1/events', { cookie: 'session=forged' });
    expect(c.status).toBe(401);
    await c.ended;
    expect(JSON.parse(c.text())).toEqual({
      error: { code: 'UNAUTHENTICATED', message: expect.any(String) },
    });
    expect(hub.listenerCount).toBe(0);
  });

  it('says where it stands, then sends each change with its id', async () => {
    const hub = new ChangeHub({ base: 40 });
    hub.publish('fleet');
    const { open, streams } = await start(hub);
    const c = await open();
    expect(c.status).toBe(200);
    await c.until(/event: hello\nid: 41\n/);
    hub.publish('card', 'c1');
    const text = await c.until(/id: 42\n/);
    expect(text).toContain('id: 42\ndata: {"id":42,"topic":"card","key":"c1","at":"');
    c.close();
    await settle(streams, hub);
    expect(streams.open).toBe(0);
    expect(hub.listenerCount).toBe(0);
  });

  it('replays what a reconnecting client missed, from Last-Event-ID or ?since=', async () => {
    const hub = new ChangeHub({ base: 0, capacity: 10 });
    for (const t of ['fleet', 'inbox', 'pause'] as const) hub.publish(t);
    const { open, streams } = await start(hub);
    const a = await open('/api/v1/events', { 'last-event-id': '1' });
    const text = await a.until(/id: 3\n/);
    expect([...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]))).toEqual([2, 3]);
    expect(text).not.toContain('event: reset');
    const b = await open('/api/v1/events?since=2');
    expect([...(await b.until(/id: 3\n/)).matchAll(/^id: (\d+)$/gm)].length).toBe(1);
    // up to date: nothing replayed, and the next change arrives
    const c = await open('/api/v1/events?since=3');
    await c.until(/up to date/);
    hub.publish('roster');
    await c.until(/id: 4\ndata: \{"id":4,"topic":"roster"/);
    for (const x of [a, b, c]) x.close();
    await settle(streams, hub);
    expect(hub.listenerCount).toBe(0);
  });

  it('resets a client whose id the ring no longer holds, or never gave', async () => {
    const hub = new ChangeHub({ base: 0, capacity: 2 });
    for (let i = 0; i < 5; i++) hub.publish('card', `c${i}`);
    const { open } = await start(hub);
    const old = await open('/api/v1/events', { 'last-event-id': '1' });
    expect(await old.until(/event: reset/)).toContain(
      'event: reset\nid: 5\ndata: {"id":5,"reason":"too-old"}',
    );
    const other = await open('/api/v1/events?since=999');
    expect(await other.until(/event: reset/)).toContain('"reason":"unknown-id"');
    const junk = await open('/api/v1/events?since=abc');
    expect(await junk.until(/event: reset/)).toContain('"reason":"unknown-id"');
    old.close();
    other.close();
    junk.close();
  });

  it('sends a comment heartbeat, and ends when the session is gone', async () => {
    const hub = new ChangeHub({ base: 0 });
    let valid = true;
    const { open, streams } = await start(hub, { heartbeatMs: 30, valid: () => valid });
    const c = await open();
    await c.until(/: keep-alive\n\n/);
    valid = false;
    await c.ended;
    await settle(streams, hub);
    expect(streams.open).toBe(0);
    expect(hub.listenerCount).toBe(0);
  });

  it('ends every stream when fleetd stops, leaving no listener', async () => {
    const hub = new ChangeHub({ base: 0 });
    const { open, streams } = await start(hub);
    const clients = await Promise.all([open(), open(), open()]);
    await Promise.all(clients.map((c) => c.until(/hello/)));
    expect(streams.open).toBe(3);
    expect(hub.listenerCount).toBe(3);
    streams.closeAll();
    await Promise.all(clients.map((c) => c.ended));
    expect(streams.open).toBe(0);
    expect(hub.listenerCount).toBe(0);
  });
});

describe('lastSeenId', () => {
  it('reads Last-Event-ID first, then ?since=', () => {
    expect(lastSeenId({ headers: {}, url: '/api/v1/events' })).toBeNull();
    expect(lastSeenId({ headers: { 'last-event-id': '7' }, url: '/x?since=3' })).toBe(7);
    expect(lastSeenId({ headers: {}, url: '/x?since=1700000000000123' })).toBe(1700000000000123);
    expect(lastSeenId({ headers: {}, url: '/x?since=-1' })).toBeNaN();
  });
});
