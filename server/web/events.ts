/**
 * The panel's event stream, `GET /api/v1/events` (docs/api.md "Events"): server-sent events
 * from the change hub (lib/changes/hub.ts). Served by fleetd's web component before Next, so the
 * stream is written straight to the socket (no compression, no buffering: docs/pitfalls.md
 * "Server-sent events") and ends with fleetd. The request guard has checked its origin
 * (server/web/request-guard.ts checkStreamOrigin); the session is checked here, when the stream
 * opens and again at every heartbeat.
 *
 * What a stream sends:
 * - `hello` with the hub's newest id, when the client names none (its first connection);
 * - the events after the id it names (`Last-Event-ID`, or `?since=` for a new EventSource,
 *   which cannot set that header), then every new one: `id:` and `{ id, topic, key?, at }`;
 * - `reset` when that id is older than the ring or unknown: read everything again;
 * - a comment every `heartbeatMs`, so proxies and the browser keep the connection open.
 */
import type http from 'node:http';
import type { SessionUser } from '@/lib/auth/auth.js';
import type { ChangeHub } from '@/lib/changes/hub.js';
import type { ChangeEvent } from '@/lib/changes/topics.js';

export interface EventStreamOptions {
  hub: ChangeHub;
  /** the session of a request (the terminal socket's check: server/web/component.ts) */
  authenticate(req: http.IncomingMessage): Promise<SessionUser | null>;
  /** default 20 s */
  heartbeatMs?: number;
  /** bytes a client may leave unread before its stream is ended (it reconnects and replays) */
  maxBufferedBytes?: number;
  log(line: string): void;
}

export interface EventStreams {
  serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void>;
  /** streams open now (tests: none left once their clients went) */
  readonly open: number;
  /** end every stream (fleetd stopping) */
  closeAll(): void;
}

/** One server-sent event: `event:` (absent for a change), `id:`, one line of JSON data. */
export function sseFrame(id: number, data: unknown, event?: string): string {
  return `${event ? `event: ${event}\n` : ''}id: ${id}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** The id a reconnecting client saw last: `Last-Event-ID`, else `?since=`; NaN when malformed. */
export function lastSeenId(req: Pick<http.IncomingMessage, 'headers' | 'url'>): number | null {
  const h = req.headers['last-event-id'];
  const raw =
    (Array.isArray(h) ? h[0] : h) ??
    new URL(req.url ?? '/', 'http://x').searchParams.get('since') ??
    undefined;
  if (raw === undefined || raw === '') return null;
  return /^\d{1,16}$/.test(raw) ? Number(raw) : Number.NaN;
}

function refuse(res: http.ServerResponse, status: number, code: string, message: string): void {
  res
    .writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' })
    .end(JSON.stringify({ error: { code, message } }));
}

export function eventStreams(o: EventStreamOptions): EventStreams {
  const heartbeatMs = o.heartbeatMs ?? 20_000;
  const maxBuffered = o.maxBufferedBytes ?? 1024 * 1024;
  const ends = new Set<() => void>();

  async function serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET');
      return refuse(res, 405, 'USAGE', 'the event stream is read with GET');
    }
    const user = await o.authenticate(req);
    if (!user) return refuse(res, 401, 'UNAUTHENTICATED', 'sign in first');
    if (req.socket.destroyed) return;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store, no-transform',
      connection: 'keep-alive',
      // nginx and its kin buffer a response unless told not to (docs/pitfalls.md)
      'x-accel-buffering': 'no',
    });
    if (req.method === 'HEAD') return void res.end();
    res.flushHeaders();
    req.socket.setNoDelay(true);

    let sent = 0;
    let ended = false;
    const write = (chunk: string): void => {
      if (ended) return;
      res.write(chunk);
      // a client that stopped reading is let go: it reconnects and replays, or is reset
      if (res.writableLength > maxBuffered) end();
    };
    const send = (e: ChangeEvent): void => {
      if (e.id <= sent) return;
      sent = e.id;
      write(sseFrame(e.id, e));
    };
    const unsubscribe = o.hub.subscribe(send);
    const beat = setInterval(() => {
      write(': keep-alive\n\n');
      // a session signed out or expired elsewhere ends the stream
      o.authenticate(req).then(
        (u) => (u ? undefined : end()),
        () => undefined,
      );
    }, heartbeatMs);
    const end = (): void => {
      if (ended) return;
      ended = true;
      clearInterval(beat);
      unsubscribe();
      ends.delete(end);
      res.end();
    };
    ends.add(end);
    res.once('close', end);
    req.once('close', end);

    // subscribed first, then the replay: nothing published in between is lost (one JS turn)
    const since = lastSeenId(req);
    if (since === null) {
      sent = o.hub.last;
      write(sseFrame(sent, { id: sent }, 'hello'));
      return;
    }
    const r = o.hub.since(since);
    if (r.kind === 'reset') {
      sent = r.reset.id;
      write(sseFrame(sent, r.reset, 'reset'));
      return;
    }
    for (const e of r.events) send(e);
    // a client that missed nothing still learns where it stands
    if (!r.events.length) {
      sent = Math.max(sent, since);
      write(': up to date\n\n');
    }
  }

  return {
    serve,
    get open() {
      return ends.size;
    },
    closeAll() {
      for (const end of [...ends]) end();
    },
  };
}
