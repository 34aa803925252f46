/**
 * The chat connectors (lib/connectors, docs/connectors.md) against local HTTP servers. Each
 * server stands in for one platform and answers as that platform's documented API does: the
 * Matrix client-server API, the Telegram Bot API, Slack and Discord incoming webhooks, and a
 * generic receiver of the signed fleet webhook. Every request is recorded, so the tests assert
 * what went over the wire; sleeps are faked and recorded, so backoff is asserted, not waited.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ConnectorError,
  createConnector,
  verifySignature,
  type Connector,
  type ConnectorConfig,
  type InboundMessage,
} from '@/lib/connectors/index.js';
import { matrixTxnId } from '@/lib/connectors/matrix.js';

interface Recorded {
  method: string;
  /** path and query, as the server saw them */
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** An answer; 'hold' keeps the request open (a long-poll with nothing new) until the client goes. */
type Reply = { status?: number; headers?: Record<string, string>; body?: unknown } | 'hold';

interface Platform {
  url: string;
  requests: Recorded[];
  close(): Promise<void>;
}

const servers: Platform[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

function reply(res: ServerResponse, r: Exclude<Reply, 'hold'>): void {
  const text =
    typeof r.body === 'string' ? r.body : r.body === undefined ? '' : JSON.stringify(r.body);
  const type = typeof r.body === 'string' ? 'text/plain' : 'application/json';
  res.writeHead(r.status ?? 200, { ...(text ? { 'content-type': type } : {}), ...r.headers });
  res.end(text);
}

async function platform(answer: (r: Recorded, n: number) => Reply): Promise<Platform> {
  const requests: Recorded[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: Recorded = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(r);
      const a = answer(r, requests.length - 1);
      if (a !== 'hold') reply(res, a);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const p: Platform = {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  servers.push(p);
  return p;
}

/** A port that refuses connections: bound, then released. */
async function closedPort(): Promise<string> {
  const p = await platform(() => ({}));
  servers.pop();
  await p.close();
  return p.url;
}

function recordingSleep(): { sleep: (ms: number) => Promise<void>; delays: number[] } {
  const delays: number[] = [];
  return { delays, sleep: async (ms) => void delays.push(ms) };
}

async function failure(p: Promise<unknown>): Promise<ConnectorError> {
  const e: unknown = await p.then(
    () => null,
    (err: unknown) => err,
  );
  if (!(e instanceof ConnectorError))
    throw new Error(`expected a ConnectorError, got ${String(e)}`);
  return e;
}

function connector(
  config: ConnectorConfig,
  env: Record<string, string>,
  sleep = recordingSleep().sleep,
): Connector {
  const c = createConnector(config, env, { sleep });
  if (!c) throw new Error('expected a connector');
  return c;
}

const notify = { reasons: ['question'], max_per_minute: 10 };
const query = (r: Recorded): URLSearchParams => new URL(r.path, 'http://x').searchParams;
const until = async (check: () => boolean): Promise<void> => {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!check()) throw new Error('condition not reached in 5 s');
};

const HOSTILE = '$(rm -rf /) `id` ; C-c \x1b[31m';
const BIG = 'x'.repeat(50_000) + 'é'.repeat(25_000) + '\n\tend';

describe('matrix', () => {
  const TOKEN = 'syt_matrix_secret_token_123';
  const ROOM = '!abc:example.org';
  const BOT = '@fleet:example.org';
  const matrixConfig = (url: string): ConnectorConfig => ({
    kind: 'matrix',
    matrix: { homeserver_url: url, user_id: BOT, room_id: ROOM },
    notify,
  });
  const env = { MATRIX_ACCESS_TOKEN: TOKEN };
  const text = (sender: string, body: string, id: string, extra: Record<string, unknown> = {}) => ({
    type: 'm.room.message',
    event_id: id,
    sender,
    content: { msgtype: 'm.text', body, ...extra },
  });

  it('sends an m.text event into the room with a stable txnId, in a thread when asked', async () => {
    const hs = await platform(() => ({ body: { event_id: '$ev1' } }));
    const c = connector(matrixConfig(hs.url), env);
    expect(c.target).toBe(ROOM);
    const m = { id: 'outbox-7', text: 'agent a1 asks: proceed?', link: 'http://panel/a/a1' };
    expect(await c.send(m)).toEqual({ messageId: '$ev1' });
    await c.send({ ...m, threadId: '$root' });

    const [first, threaded] = hs.requests;
    expect(first!.method).toBe('PUT');
    expect(first!.path).toBe(
      `/_matrix/client/v3/rooms/!abc%3Aexample.org/send/m.room.message/${matrixTxnId('outbox-7')}`,
    );
    expect(threaded!.path).toBe(first!.path); // the same message id is the same transaction
    expect(first!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(JSON.parse(first!.body)).toEqual({
      msgtype: 'm.text',
      body: 'agent a1 asks: proceed?\nhttp://panel/a/a1',
    });
    expect(JSON.parse(threaded!.body)['m.relates_to']).toEqual({
      rel_type: 'm.thread',
      event_id: '$root',
      is_falling_back: true,
      'm.in_reply_to': { event_id: '$root' },
    });
  });

  it('retries a 429 after retry_after_ms and a 500 with backoff, then succeeds', async () => {
    const hs = await platform((_r, n) =>
      n === 0
        ? {
            status: 429,
            body: { errcode: 'M_LIMIT_EXCEEDED', error: 'Too many requests', retry_after_ms: 1200 },
          }
        : n === 1
          ? { status: 500, body: { errcode: 'M_UNKNOWN', error: 'Internal server error' } }
          : { body: { event_id: '$ev2' } },
    );
    const { sleep, delays } = recordingSleep();
    const c = connector(matrixConfig(hs.url), env, sleep);
    expect(await c.send({ id: 'o1', text: 'hi' })).toEqual({ messageId: '$ev2' });
    expect(delays).toEqual([1200, 1000]);
    expect(hs.requests.map((r) => r.path)).toEqual(Array(3).fill(hs.requests[0]!.path));
  });

  it('does not retry a 401 and names the error without the token', async () => {
    const hs = await platform(() => ({
      status: 401,
      body: { errcode: 'M_UNKNOWN_TOKEN', error: `Invalid access token passed: ${TOKEN}` },
    }));
    const { sleep, delays } = recordingSleep();
    const e = await failure(
      connector(matrixConfig(hs.url), env, sleep).send({ id: 'o', text: 't' }),
    );
    expect(e.message).toMatch(
      /^connector matrix: send m\.room\.message: 127\.0\.0\.1:\d+ answered 401: M_UNKNOWN_TOKEN: /,
    );
    expect(e.message).not.toContain(TOKEN);
    expect(e).toMatchObject({ kind: 'matrix', status: 401, retryable: false });
    expect(hs.requests).toHaveLength(1);
    expect(delays).toEqual([]);
  });

  it('skips history, delivers new texts byte-identical, skips its own, saves next_batch, stops on abort', async () => {
    const hs = await platform((r) => {
      const since = query(r).get('since');
      if (since === null)
        return {
          body: {
            next_batch: 's1',
            rooms: {
              join: {
                [ROOM]: {
                  timeline: { events: [text('@alice:example.org', 'old history', '$old')] },
                },
              },
            },
          },
        };
      if (since === 's1')
        return {
          body: {
            next_batch: 's2',
            rooms: {
              join: {
                [ROOM]: {
                  timeline: {
                    events: [
                      text(BOT, 'my own notification', '$own'),
                      text('@alice:example.org', HOSTILE, '$e1'),
                      {
                        ...text('@bob:example.org', 'a notice', '$n'),
                        content: { msgtype: 'm.notice', body: 'n' },
                      },
                      text('@bob:example.org', BIG, '$e2', {
                        'm.relates_to': { rel_type: 'm.thread', event_id: '$root' },
                      }),
                      {
                        type: 'm.room.member',
                        event_id: '$m',
                        sender: '@carol:example.org',
                        content: {},
                      },
                    ],
                  },
                },
                '!other:example.org': {
                  timeline: { events: [text('@eve:example.org', 'elsewhere', '$x')] },
                },
              },
            },
          },
        };
      return 'hold';
    });
    const c = connector(matrixConfig(hs.url), env);
    const got: InboundMessage[] = [];
    const saved: string[] = [];
    const ac = new AbortController();
    const done = c.subscribe!(async (m) => void got.push(m), {
      cursor: null,
      saveCursor: async (s) => void saved.push(s),
      signal: ac.signal,
    });
    await until(() => hs.requests.length === 3);
    const aborted = Date.now();
    ac.abort();
    await done;
    expect(Date.now() - aborted).toBeLessThan(1000);

    expect(got).toEqual([
      {
        id: '$e1',
        sender: '@alice:example.org',
        origin: 'matrix:@alice:example.org',
        text: HOSTILE,
      },
      {
        id: '$e2',
        sender: '@bob:example.org',
        origin: 'matrix:@bob:example.org',
        text: BIG,
        threadId: '$root',
      },
    ]);
    expect(got[1]!.text.length).toBe(BIG.length);
    expect(saved).toEqual(['s1', 's2']);
    expect(hs.requests.map((r) => [query(r).get('since'), query(r).get('timeout')])).toEqual([
      [null, '0'],
      ['s1', '30000'],
      ['s2', '30000'],
    ]);
    for (const r of hs.requests) {
      expect(r.method).toBe('GET');
      expect(r.path).toMatch(/^\/_matrix\/client\/v3\/sync\?/);
      expect(r.headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(JSON.parse(query(r).get('filter')!).room.rooms).toEqual([ROOM]);
    }
  });

  it('resumes from a saved cursor, keeps to the allow list, and keeps polling after an error', async () => {
    const hs = await platform((r, n) => {
      if (n === 0) return { status: 502, body: 'Bad Gateway' };
      if (query(r).get('since') === 's5')
        return {
          body: {
            next_batch: 's6',
            rooms: {
              join: {
                [ROOM]: {
                  timeline: {
                    events: [
                      text('@mallory:example.org', 'hello', '$m1'),
                      text('@alice:example.org', 'ok', '$a1'),
                    ],
                  },
                },
              },
            },
          },
        };
      return 'hold';
    });
    const { sleep, delays } = recordingSleep();
    const config = { ...matrixConfig(hs.url), allow: ['@alice:example.org'] };
    const c = connector(config, env, sleep);
    const got: string[] = [];
    const errors: string[] = [];
    const ac = new AbortController();
    const done = c.subscribe!(async (m) => void got.push(m.id), {
      cursor: 's5',
      saveCursor: async () => undefined,
      signal: ac.signal,
      onError: (e) => errors.push(e.message),
    });
    await until(() => hs.requests.length === 3);
    ac.abort();
    await done;
    expect(got).toEqual(['$a1']);
    expect(errors).toEqual([
      `connector matrix: sync: ${new URL(hs.url).host} answered 502: Bad Gateway`,
    ]);
    expect(delays).toEqual([500]);
    expect(hs.requests.map((r) => query(r).get('since'))).toEqual(['s5', 's5', 's6']);
  });

  it('checks health: versions, then whoami naming the configured user', async () => {
    let user = BOT;
    const hs = await platform((r) =>
      r.path === '/_matrix/client/versions'
        ? { body: { versions: ['v1.11'] } }
        : r.headers.authorization === `Bearer ${TOKEN}`
          ? { body: { user_id: user } }
          : { status: 401, body: { errcode: 'M_MISSING_TOKEN', error: 'Missing access token' } },
    );
    const c = connector(matrixConfig(hs.url), env);
    expect(await c.health()).toEqual({
      kind: 'matrix',
      ok: true,
      reachable: true,
      authenticated: true,
      detail: `${new URL(hs.url).host} answered versions; whoami is ${BOT}`,
    });
    expect(hs.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /_matrix/client/versions',
      'GET /_matrix/client/v3/account/whoami',
    ]);
    user = '@someone:example.org';
    expect(await c.health()).toMatchObject({ ok: false, reachable: true, authenticated: true });
    const bad = connector(matrixConfig(hs.url), { MATRIX_ACCESS_TOKEN: 'wrong' });
    const h = await bad.health();
    expect(h).toMatchObject({ ok: false, reachable: true, authenticated: false });
    expect(h.detail).toBe(
      `whoami: ${new URL(hs.url).host} answered 401: M_MISSING_TOKEN: Missing access token`,
    );
  });

  it('reports an unreachable homeserver in health without throwing', async () => {
    const url = await closedPort();
    const h = await connector(matrixConfig(url), env).health();
    expect(h).toEqual({
      kind: 'matrix',
      ok: false,
      reachable: false,
      authenticated: false,
      detail: `versions: ${new URL(url).host} unreachable (ECONNREFUSED)`,
    });
  });
});

describe('telegram', () => {
  const TOKEN = '123456:AAH-telegram_secret_token';
  const CHAT = '-100777';
  const tgConfig = (url: string): ConnectorConfig => ({
    kind: 'telegram',
    telegram: { chat_id: CHAT, api_url: url },
    notify,
  });
  const env = { TELEGRAM_BOT_TOKEN: TOKEN };
  const update = (id: number, chat: number, from: Record<string, unknown>, text?: string) => ({
    update_id: id,
    message: {
      message_id: id * 10,
      chat: { id: chat, type: 'supergroup' },
      from,
      date: 0,
      ...(text === undefined ? {} : { text }),
    },
  });

  it('sends plain text with the link on its own line, to the configured chat', async () => {
    const api = await platform(() => ({ body: { ok: true, result: { message_id: 42 } } }));
    const c = connector(tgConfig(api.url), env);
    expect(c.target).toBe(CHAT);
    expect(
      await c.send({ id: 'o1', text: '<b>not bold</b> *nor this*', link: 'http://panel/x' }),
    ).toEqual({
      messageId: '42',
    });
    const [r] = api.requests;
    expect(r!.method).toBe('POST');
    expect(r!.path).toBe(`/bot${TOKEN}/sendMessage`);
    expect(r!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(r!.body)).toEqual({
      chat_id: CHAT,
      text: '<b>not bold</b> *nor this*\nhttp://panel/x',
      disable_web_page_preview: true,
    });
  });

  it('waits parameters.retry_after on a 429, backs off on a 500, then sends', async () => {
    const api = await platform((_r, n) =>
      n === 0
        ? {
            status: 429,
            body: {
              ok: false,
              error_code: 429,
              description: 'Too Many Requests: retry after 3',
              parameters: { retry_after: 3 },
            },
          }
        : n === 1
          ? {
              status: 500,
              body: { ok: false, error_code: 500, description: 'Internal Server Error' },
            }
          : { body: { ok: true, result: { message_id: 7 } } },
    );
    const { sleep, delays } = recordingSleep();
    expect(await connector(tgConfig(api.url), env, sleep).send({ id: 'o', text: 't' })).toEqual({
      messageId: '7',
    });
    expect(delays).toEqual([3000, 1000]);
    expect(api.requests).toHaveLength(3);
  });

  it('gives a clear error on 401 and 403 without the token that is in the URL', async () => {
    for (const [status, description] of [
      [401, 'Unauthorized'],
      [403, 'Forbidden: bot was kicked from the supergroup chat'],
    ] as const) {
      const api = await platform(() => ({
        status,
        body: { ok: false, error_code: status, description },
      }));
      const e = await failure(connector(tgConfig(api.url), env).send({ id: 'o', text: 't' }));
      expect(e.message).toBe(
        `connector telegram: sendMessage: ${new URL(api.url).host} answered ${status}: ${description}`,
      );
      expect(e.message).not.toContain(TOKEN);
      expect(String(e.stack)).not.toContain(TOKEN);
      expect(e.retryable).toBe(false);
      expect(api.requests).toHaveLength(1);
    }
  });

  it('skips history with offset -1, then polls from the last update_id + 1, only its chat', async () => {
    const api = await platform((r) => {
      const body = JSON.parse(r.body) as { offset?: number };
      if (body.offset === -1)
        return {
          body: { ok: true, result: [update(100, -100777, { id: 5, username: 'alice' }, 'old')] },
        };
      if (body.offset === 101)
        return {
          body: {
            ok: true,
            result: [
              update(101, -100999, { id: 6, username: 'eve' }, 'another chat'),
              update(102, -100777, { id: 5, username: 'alice' }, HOSTILE),
              update(103, -100777, { id: 5, username: 'alice' }), // a sticker: no text
              update(104, -100777, { id: 8 }, BIG),
            ],
          },
        };
      return 'hold';
    });
    const c = connector(tgConfig(api.url), env);
    const got: InboundMessage[] = [];
    const saved: string[] = [];
    const ac = new AbortController();
    const done = c.subscribe!(async (m) => void got.push(m), {
      cursor: null,
      saveCursor: async (s) => void saved.push(s),
      signal: ac.signal,
    });
    await until(() => api.requests.length === 3);
    ac.abort();
    await done;
    expect(got).toEqual([
      { id: '102', sender: '@alice', origin: 'telegram:@alice', text: HOSTILE },
      { id: '104', sender: '8', origin: 'telegram:8', text: BIG },
    ]);
    expect(saved).toEqual(['101', '105']);
    const bodies = api.requests.map((r) => JSON.parse(r.body) as Record<string, unknown>);
    expect(bodies).toEqual([
      { offset: -1, timeout: 0, allowed_updates: ['message'] },
      { offset: 101, timeout: 30, allowed_updates: ['message'] },
      { offset: 105, timeout: 30, allowed_updates: ['message'] },
    ]);
    expect(api.requests.every((r) => r.path === `/bot${TOKEN}/getUpdates`)).toBe(true);
  });

  it('checks health with getMe, and reports a closed port without throwing', async () => {
    const api = await platform(() => ({
      body: { ok: true, result: { id: 1, is_bot: true, username: 'fleet_bot' } },
    }));
    expect(await connector(tgConfig(api.url), env).health()).toEqual({
      kind: 'telegram',
      ok: true,
      reachable: true,
      authenticated: true,
      detail: `${new URL(api.url).host} answered getMe: @fleet_bot`,
    });
    expect(api.requests[0]!.path).toBe(`/bot${TOKEN}/getMe`);

    const url = await closedPort();
    const h = await connector(tgConfig(url), env).health();
    expect(h).toMatchObject({ ok: false, reachable: false, authenticated: false });
    expect(h.detail).toBe(`getMe: ${new URL(url).host} unreachable (ECONNREFUSED)`);
    expect(h.detail).not.toContain(TOKEN);
  });
});

describe('slack', () => {
  const PATH = '/services/T000/B000/slackSecretPart';
  const config: ConnectorConfig = { kind: 'slack', notify };

  it('posts {text} as plain text to the webhook URL from the environment', async () => {
    const hook = await platform(() => ({ body: 'ok' }));
    const c = connector(config, { SLACK_WEBHOOK_URL: hook.url + PATH });
    expect(c.inbound).toBe(false);
    expect(c.subscribe).toBeUndefined();
    expect(c.target).toBe(new URL(hook.url).host);
    expect(
      await c.send({ id: 'o', text: 'hi <!channel> & *you*', link: 'http://panel/y' }),
    ).toEqual({
      messageId: null,
    });
    const [r] = hook.requests;
    expect(r!.method).toBe('POST');
    expect(r!.path).toBe(PATH);
    expect(JSON.parse(r!.body)).toEqual({
      text: 'hi &lt;!channel&gt; &amp; *you*\nhttp://panel/y',
      mrkdwn: false,
    });
  });

  it('gives a clear error on 403 without the secret URL, and a health that calls nothing', async () => {
    const hook = await platform(() => ({ status: 403, body: 'invalid_token' }));
    const c = connector(config, { SLACK_WEBHOOK_URL: hook.url + PATH });
    const e = await failure(c.send({ id: 'o', text: 't' }));
    expect(e.message).toBe(
      `connector slack: incoming webhook: ${new URL(hook.url).host} answered 403: invalid_token`,
    );
    expect(e.message).not.toContain('slackSecretPart');
    const h = await c.health();
    expect(h).toEqual({
      kind: 'slack',
      ok: true,
      reachable: false,
      authenticated: false,
      detail: expect.stringMatching(
        /^outbound webhook configured \(127\.0\.0\.1:\d+\); not called/,
      ),
    });
    expect(h.detail).not.toContain('slackSecretPart');
    expect(hook.requests).toHaveLength(1);
  });
});

describe('discord', () => {
  const PATH = '/api/webhooks/1/discordSecretPart';
  const config: ConnectorConfig = { kind: 'discord', notify };

  it('posts {content} cut to 2000 characters with an ellipsis, link kept, mentions off', async () => {
    const hook = await platform(() => ({ status: 204 }));
    const c = connector(config, { DISCORD_WEBHOOK_URL: hook.url + PATH });
    const link = 'http://panel/z';
    expect(await c.send({ id: 'o', text: '@everyone ' + 'y'.repeat(3000), link })).toEqual({
      messageId: null,
    });
    const [r] = hook.requests;
    expect(r!.path).toBe(PATH);
    const body = JSON.parse(r!.body) as { content: string; allowed_mentions: unknown };
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(body.content).toHaveLength(2000);
    expect(body.content.endsWith(`…\n${link}`)).toBe(true);
    expect(body.content.startsWith('@everyone yyy')).toBe(true);
  });

  it('honours Retry-After on a 429, and says health calls nothing', async () => {
    const hook = await platform((_r, n) =>
      n === 0
        ? {
            status: 429,
            headers: { 'retry-after': '2' },
            body: { message: 'You are being rate limited.', retry_after: 2 },
          }
        : { status: 204 },
    );
    const { sleep, delays } = recordingSleep();
    const c = connector(config, { DISCORD_WEBHOOK_URL: hook.url + PATH }, sleep);
    await c.send({ id: 'o', text: 't' });
    expect(delays).toEqual([2000]);
    expect(await c.health()).toMatchObject({ kind: 'discord', ok: true, reachable: false });
    expect(hook.requests).toHaveLength(2);
  });
});

describe('webhook', () => {
  const SECRET = 'whsec_fleet_signing_secret';
  const hookConfig = (url: string): ConnectorConfig => ({
    kind: 'webhook',
    webhook: { url },
    notify,
  });
  const env = { FLEET_WEBHOOK_SECRET: SECRET };

  it('posts a signed JSON body that verifies, with the id as idempotency header', async () => {
    const hook = await platform(() => ({ status: 202 }));
    const c = connector(hookConfig(`${hook.url}/fleet`), env);
    expect(c.target).toBe(new URL(hook.url).host);
    const before = Math.floor(Date.now() / 1000);
    await c.send({ id: 'outbox-9', text: HOSTILE, link: 'http://panel/w' });
    const [r] = hook.requests;
    expect(r!.method).toBe('POST');
    expect(r!.path).toBe('/fleet');
    expect(r!.headers['content-type']).toBe('application/json');
    expect(r!.headers['x-fleet-id']).toBe('outbox-9');
    const ts = r!.headers['x-fleet-timestamp'] as string;
    expect(Number(ts)).toBeGreaterThanOrEqual(before);
    const body = JSON.parse(r!.body) as Record<string, unknown>;
    expect(body).toEqual({
      id: 'outbox-9',
      text: HOSTILE,
      link: 'http://panel/w',
      sent_at: expect.any(String),
    });
    expect(Date.parse(body.sent_at as string) / 1000).toBeCloseTo(Number(ts), -1);
    const sig = r!.headers['x-fleet-signature'] as string;
    expect(sig).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifySignature(SECRET, ts, r!.body, sig)).toBe(true);
    expect(verifySignature(SECRET, ts, r!.body.replace('outbox-9', 'outbox-8'), sig)).toBe(false);
    expect(verifySignature(SECRET, Number(ts) + 1, r!.body, sig)).toBe(false);
    expect(verifySignature('another secret', ts, r!.body, sig)).toBe(false);
    expect(verifySignature(SECRET, ts, r!.body, 'sha256=00')).toBe(false);
    expect(JSON.stringify(r!.headers)).not.toContain(SECRET);
  });

  it('retries a 500 with backoff, sends the same id, and does not retry a 401', async () => {
    const hook = await platform((_r, n) =>
      n < 2 ? { status: 503, body: 'busy' } : { status: 200, body: {} },
    );
    const { sleep, delays } = recordingSleep();
    await connector(hookConfig(hook.url), env, sleep).send({ id: 'o-1', text: 't' });
    expect(delays).toEqual([500, 1000]);
    expect(new Set(hook.requests.map((r) => r.headers['x-fleet-id']))).toEqual(new Set(['o-1']));

    const denied = await platform(() => ({ status: 401, body: { error: 'bad signature' } }));
    const e = await failure(connector(hookConfig(denied.url), env).send({ id: 'o', text: 't' }));
    expect(e.message).toBe(
      `connector webhook: POST: ${new URL(denied.url).host} answered 401: bad signature`,
    );
    expect(e.message).not.toContain(SECRET);
    expect(denied.requests).toHaveLength(1);
  });

  it('gives up on a closed port after its retries, retryable, and health does not call', async () => {
    const url = await closedPort();
    const { sleep, delays } = recordingSleep();
    const c = createConnector(hookConfig(url), env, { sleep, retries: 2 })!;
    const e = await failure(c.send({ id: 'o', text: 't' }));
    expect(e.message).toBe(
      `connector webhook: POST: ${new URL(url).host} unreachable (ECONNREFUSED)`,
    );
    expect(e).toMatchObject({ retryable: true, status: null });
    expect(delays).toEqual([500, 1000]);
    expect(await c.health()).toMatchObject({ kind: 'webhook', ok: true, reachable: false });
  });
});

describe('createConnector', () => {
  it('is null for none, and names the variable when the secret is missing', () => {
    expect(createConnector({ kind: 'none', notify }, {})).toBeNull();
    const matrix: ConnectorConfig = {
      kind: 'matrix',
      matrix: {
        homeserver_url: 'https://m.example.org',
        user_id: '@f:example.org',
        room_id: '!r:example.org',
      },
      notify,
    };
    expect(() => createConnector(matrix, { MATRIX_ACCESS_TOKEN: '  ' })).toThrow(
      "connector matrix: set MATRIX_ACCESS_TOKEN in fleetd's environment (the access token is never read from the roster)",
    );
    expect(() =>
      createConnector({ ...matrix, token_env: 'FLEET_MX' }, { MATRIX_ACCESS_TOKEN: 't' }),
    ).toThrow(/set FLEET_MX in fleetd's environment/);
    expect(createConnector({ ...matrix, token_env: 'FLEET_MX' }, { FLEET_MX: 't' })?.kind).toBe(
      'matrix',
    );
    expect(() => createConnector({ kind: 'slack', notify }, {})).toThrow(
      "connector slack: set SLACK_WEBHOOK_URL in fleetd's environment (the webhook URL is never read from the roster)",
    );
  });

  it('refuses an unknown kind, listing the known ones, and a webhook URL that is not one', () => {
    const e = (() => {
      try {
        createConnector({ kind: 'irc', notify } as unknown as ConnectorConfig, {});
      } catch (err) {
        return err;
      }
      return null;
    })();
    expect(e).toBeInstanceOf(ConnectorError);
    expect((e as ConnectorError).message).toBe(
      'connector irc: unknown connector kind "irc" (known: none, matrix, telegram, slack, discord, webhook)',
    );
    expect((e as ConnectorError).retryable).toBe(false);
    expect((e as ConnectorError).code).toBe('USAGE');
    expect(() =>
      createConnector({ kind: 'discord', notify }, { DISCORD_WEBHOOK_URL: 'not-a-url/secret' }),
    ).toThrow('connector discord: DISCORD_WEBHOOK_URL is not an http:// or https:// URL');
  });
});
