/**
 * The operator's chat wired into fleetd (docs/connectors.md): inbox items reach a connector
 * through the store's outbox, once, signed, retried through an outage and across a fleetd
 * restart; messages from a Matrix room reach the orchestrator literally, and chat commands are
 * answered by fleetd itself. No chat platform is reachable here: each server below is a local
 * HTTP server started by the test, standing in for the platform and answering as its documented
 * API does (the Matrix client-server API; a generic JSON webhook receiver).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { verifySignature } from '@/lib/connectors/webhook.js';
import { FLOOR, startSupervised, supervisedHarnesses } from './support/supervised.js';
import { runFleet } from './support/fleet-cli.js';
import { until } from './support/tmux-fleet.js';

const harnesses = supervisedHarnesses();
const servers: http.Server[] = [];
afterEach(async (ctx) => {
  await harnesses.closeAll(ctx.task.result?.state === 'fail');
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

interface Recorded {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

async function serve(
  answer: (req: Recorded, res: http.ServerResponse) => void | Promise<void>,
): Promise<{ url: string; requests: Recorded[] }> {
  const requests: Recorded[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      const r = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body };
      requests.push(r);
      void answer(r, res);
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

const json = (res: http.ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

/** no retries inside a send, and backoffs capped short (never zero: a failing poll must not spin) */
const fast = {
  retries: 0,
  sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, Math.min(ms, 50))),
};
const SECRET = 'webhook-signing-secret';

function screen(h: { fleet: { capture(n: string): string } }, name: string): string {
  try {
    return h.fleet.capture(name);
  } catch {
    return '';
  }
}

describe('notifications through the webhook connector', () => {
  it('a permission item is delivered once, signed, after an outage, and a restart loses nothing', async () => {
    let up = false;
    const hook = await serve((r, res) => {
      if (!up) return json(res, 503, { error: 'down for maintenance' });
      json(res, 200, { ok: true });
    });
    const h = await harnesses.start(
      [...FLOOR, { name: 'w1', class: 'worker', env: { MOSAIC_STUB_ASK_PERMISSION: '1' } }],
      {
        rosterExtra: `connector:\n  kind: webhook\n  webhook: { url: ${hook.url}/fleet }\n  notify: { reasons: [permission] }\n`,
        connector: {
          env: { FLEET_WEBHOOK_SECRET: SECRET },
          deps: fast,
          panelUrl: 'http://panel.test:7420',
        },
      },
    );
    await until(() => screen(h, 'w1').includes('stub>'), 'w1 at its prompt');
    await h.fleet.run(['agent', 'send', 'w1', '--verify', '--no-label', 'task t1 1']);
    const item = await until(
      async () => (await h.client.inbox.list()).items.find((i) => i.reason === 'permission'),
      'a permission item',
    );
    // the webhook is down: the notification is attempted and kept
    await until(() => hook.requests.length >= 1, 'a first attempt');
    const pending = () => h.connector!.status().then((s) => s.pending);
    expect(await pending()).toBe(1);

    // fleetd restarts while the notification waits; the new one delivers it when the hook is up
    await h.fleetd.stop();
    up = true;
    const again = await startSupervised(h.fleet, {
      reapIntervalMs: 500,
      tickMs: 300,
      log: (l) => h.logs.push(l),
      connector: {
        env: { FLEET_WEBHOOK_SECRET: SECRET },
        deps: fast,
        pollMs: 100,
        panelUrl: 'http://panel.test:7420',
      },
    });
    h.fleetd = again.fleetd;
    h.supervisor = again.supervisor;
    h.connector = again.connector;
    const delivered = () =>
      hook.requests.filter((r) => r.headers['x-fleet-id'] && r.method === 'POST');
    await until(async () => (await pending()) === 0, 'the notification delivered', 40_000);
    const ok = delivered().at(-1)!;
    expect(ok.path).toBe('/fleet');
    const body = JSON.parse(ok.body) as { id: string; text: string; link: string };
    expect(body.text).toContain('w1 asks for permission');
    expect(body.text).toContain('Allow this command?');
    expect(body.link).toBe(`http://panel.test:7420/agents/w1`);
    const ts = String(ok.headers['x-fleet-timestamp']);
    expect(verifySignature(SECRET, ts, ok.body, String(ok.headers['x-fleet-signature']))).toBe(
      true,
    );
    // every attempt carried the same id: one notification, retried, not several
    expect(new Set(delivered().map((r) => r.headers['x-fleet-id'])).size).toBe(1);

    // answering the item sends nothing more
    const before = hook.requests.length;
    await h.client.inbox.act({ id: item.id, action: 'approve', by: 'test' });
    await until(() => screen(h, 'w1').includes('[stub] approved'), 'approved');
    await h.supervisor.tick();
    await new Promise((r) => setTimeout(r, 500));
    expect(hook.requests.length).toBe(before);
  });

  it('fleet connector test sends a test message and prints the health', async () => {
    const hook = await serve((_r, res) => json(res, 200, {}));
    const h = await harnesses.start([...FLOOR], {
      rosterExtra: `connector:\n  kind: webhook\n  webhook: { url: ${hook.url}/fleet }\n`,
      connector: { env: { FLEET_WEBHOOK_SECRET: SECRET }, deps: fast },
    });
    const t = await h.connector!.test();
    expect(t.sent).not.toBeNull();
    expect(t.health.ok).toBe(true);
    expect(hook.requests.at(-1)!.body).toContain('connector test');

    // the same through the CLI, against a fleetd that has no secret: red, and says which variable
    // the same through the CLI: fleetd's connector, its health and the message
    const cli = await runFleet(h.fleet.home, ['connector', 'test'], h.fleet.env);
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout).toMatch(/^health: ok \(webhook;/m);
    expect(cli.stdout).toContain('test message sent');
    expect(hook.requests.filter((r) => r.body.includes('connector test'))).toHaveLength(2);
  });
});

describe('the operator talks to the fleet from a Matrix room', () => {
  it('a message reaches the orchestrator literally; pause and status are answered by fleetd', async () => {
    const ROOM = '!room:example.org';
    const hostile = 'deploy $(rm -rf /) `id`; C-c \u00e9 ' + 'x'.repeat(3000);
    const inbox = [
      { sender: '@alice:example.org', body: hostile },
      { sender: '@fleet:example.org', body: 'an echo of the bot itself' },
      { sender: '@alice:example.org', body: 'colour \u001b[31mred' },
      { sender: '@alice:example.org', body: 'pause deploy freeze' },
      { sender: '@alice:example.org', body: 'status' },
    ];
    let batch = 0;
    const sent: string[] = [];
    const matrix = await serve(async (r, res) => {
      const url = new URL(r.path, 'http://x');
      if (r.headers.authorization !== 'Bearer matrix-token')
        return json(res, 401, { errcode: 'M_UNKNOWN_TOKEN', error: 'Invalid access token' });
      if (url.pathname === '/_matrix/client/versions')
        return json(res, 200, { versions: ['v1.11'] });
      if (url.pathname === '/_matrix/client/v3/account/whoami')
        return json(res, 200, { user_id: '@fleet:example.org' });
      if (url.pathname === '/_matrix/client/v3/sync') {
        const since = url.searchParams.get('since');
        if (!since) return json(res, 200, { next_batch: 's0', rooms: { join: {} } });
        const n = Number(since.slice(1));
        if (n < inbox.length) {
          const m = inbox[n]!;
          batch++;
          return json(res, 200, {
            next_batch: `s${n + 1}`,
            rooms: {
              join: {
                [ROOM]: {
                  timeline: {
                    events: [
                      {
                        type: 'm.room.message',
                        event_id: `$e${n}`,
                        sender: m.sender,
                        content: { msgtype: 'm.text', body: m.body },
                      },
                    ],
                  },
                },
              },
            },
          });
        }
        await new Promise((w) => setTimeout(w, 200));
        return json(res, 200, { next_batch: since, rooms: { join: {} } });
      }
      const send = /^\/_matrix\/client\/v3\/rooms\/([^/]+)\/send\/m\.room\.message\/([^/]+)$/.exec(
        url.pathname,
      );
      if (send && r.method === 'PUT') {
        expect(decodeURIComponent(send[1]!)).toBe(ROOM);
        sent.push((JSON.parse(r.body) as { body: string }).body);
        return json(res, 200, { event_id: `$sent${sent.length}` });
      }
      json(res, 404, { errcode: 'M_UNRECOGNIZED', error: 'Unrecognized request' });
    });
    // the orchestrator's first message must wait until it is up: hold the sync until then
    const h = await harnesses.start([...FLOOR, { name: 'w1', class: 'worker' }], {
      rosterExtra: `connector:\n  kind: matrix\n  matrix: { homeserver_url: ${matrix.url}, user_id: '@fleet:example.org', room_id: '${ROOM}' }\n`,
      connector: { env: { MATRIX_ACCESS_TOKEN: 'matrix-token' }, deps: fast },
    });
    await until(
      () => h.fleet.stubLog().some((m) => m.text === `[from matrix:@alice:example.org] ${hostile}`),
      'the message in the orchestrator, literally',
      40_000,
    );
    expect(h.fleet.stubLog().some((m) => m.text.includes('an echo of the bot itself'))).toBe(false);
    await until(async () => (await h.client.flags.pause()).paused, 'paused from the chat', 20_000);
    expect(await h.client.flags.pause()).toMatchObject({
      reason: 'deploy freeze',
      by: 'matrix:@alice:example.org',
    });
    await until(() => sent.some((s) => s.startsWith('fleet on ')), 'a status answer in the room');
    const status = sent.find((s) => s.startsWith('fleet on '))!;
    expect(status).toContain('PAUSED');
    expect(sent.some((s) => s.startsWith('paused since'))).toBe(true);
    // an escape sequence is refused, not typed, and the chat is told why
    expect(sent.some((s) => /not delivered to orch: .*control character U\+001B/.test(s))).toBe(
      true,
    );
    expect(h.fleet.stubLog().some((m) => m.text.includes('colour'))).toBe(false);
    expect(batch).toBe(inbox.length);
    // the cursor is kept in the store: a restarted fleetd does not see these messages again
    const cursor = await h.client.flags.get('connector.matrix.cursor');
    expect(cursor.flag?.value).toMatchObject({ cursor: `s${inbox.length}` });
    // the matrix token never reaches a log line
    expect(h.logs.join('\n')).not.toContain('matrix-token');
  });

  it('an unreachable homeserver or a missing token is a red health line; fleetd keeps running', async () => {
    const h = await harnesses.start([...FLOOR], {
      rosterExtra: `connector:\n  kind: matrix\n  matrix: { homeserver_url: 'http://127.0.0.1:9', user_id: '@fleet:example.org', room_id: '!r:example.org' }\n`,
      connector: { env: { MATRIX_ACCESS_TOKEN: 'matrix-token' }, deps: fast },
    });
    const t = await h.connector!.test();
    expect(t.health.ok).toBe(false);
    expect(t.health.reachable).toBe(false);
    expect(t.sent).toBeNull();
    expect(t.error).toMatch(/connector matrix/);
    expect((await h.client.health()).ok).toBe(true);

    const h2 = await harnesses.start([...FLOOR], {
      rosterExtra: `connector:\n  kind: telegram\n  telegram: { chat_id: 42 }\n`,
      connector: { env: {}, deps: fast },
    });
    const s = await h2.connector!.status();
    expect(s.error).toMatch(/set TELEGRAM_BOT_TOKEN in fleetd's environment/);
    expect((await h2.client.health()).ok).toBe(true);
  });

  it('an unknown kind is a roster error naming the field, raised in the inbox', async () => {
    const h = await harnesses.start([...FLOOR], {
      rosterExtra: `connector:\n  kind: carrier-pigeon\n`,
      connector: { env: {}, deps: fast },
    });
    const bad = await until(
      async () => (await h.client.inbox.list()).items.find((i) => i.reason === 'roster_invalid'),
      'a roster item',
    );
    expect(bad.evidence).toMatch(/roster\.yaml:\d+:\d+.*connector\.kind/);
    expect(bad.evidence).toContain('matrix');
    const v = await runFleet(h.fleet.home, ['roster', 'validate'], h.fleet.env);
    expect(v.code).not.toBe(0);
    expect(v.stderr).toMatch(/connector\.kind/);
    expect((await h.client.health()).ok).toBe(true);
  });
});
