/**
 * Matrix, through the client-server API with a bot account's access token (docs/connectors.md
 * "Matrix"). Sends m.text events into one room; reads it back with /sync long-polls. The room
 * must be unencrypted: the connector has no end-to-end encryption.
 */
import { createHash } from 'node:crypto';
import type { ConnectorConfig } from './config.js';
import type { ConnectorContext } from './registry.js';
import {
  detailOf,
  expectRecord,
  isRecord,
  requestJson,
  type HttpDeps,
  type JsonRequest,
} from './http.js';
import { pollLoop, type PollBatch } from './poll-loop.js';
import { plainText } from './text.js';
import {
  ConnectorError,
  type Connector,
  type ConnectorHealth,
  type InboundMessage,
  type OutboundMessage,
  type SendResult,
  type SubscribeOptions,
} from './types.js';

type MatrixConfig = NonNullable<ConnectorConfig['matrix']>;

export const MATRIX_POLL_MS = 30_000;
/** The server holds a /sync up to its `timeout`; the request waits that and this margin. */
const POLL_MARGIN_MS = 15_000;
const HEALTH_TIMEOUT_MS = 10_000;
/**
 * An event is at most 64 KiB; a notification is far shorter, and 8000 code points stay below
 * the limit even at four bytes each with the JSON around them.
 */
const MAX_BODY = 8000;
/** Timeline events per /sync: past it the server sets `limited` and older ones are skipped. */
const TIMELINE_LIMIT = 100;

/**
 * The txnId makes a retried PUT idempotent: the server answers a repeated one with the first
 * event id. It is a hash of the message id so any id is a safe path segment.
 */
export function matrixTxnId(messageId: string): string {
  return `fleet-${createHash('sha256').update(messageId).digest('hex').slice(0, 32)}`;
}

/** Only the one room's messages, nothing else the server would otherwise put in a /sync. */
export function syncFilter(roomId: string, timelineLimit: number): string {
  return JSON.stringify({
    presence: { types: [] },
    account_data: { types: [] },
    room: {
      rooms: [roomId],
      state: { types: [] },
      ephemeral: { types: [] },
      account_data: { types: [] },
      timeline: { types: ['m.room.message'], limit: timelineLimit },
    },
  });
}

function relation(content: Record<string, unknown>): Record<string, unknown> | null {
  const rel = content['m.relates_to'];
  return isRecord(rel) ? rel : null;
}

/** A timeline event as an inbound message, or null when it is not a person's text for us. */
export function inboundFromEvent(
  event: unknown,
  botUserId: string,
  allow: readonly string[] | undefined,
): InboundMessage | null {
  if (!isRecord(event) || event.type !== 'm.room.message') return null;
  const { event_id: id, sender, content } = event;
  if (typeof id !== 'string' || typeof sender !== 'string' || !isRecord(content)) return null;
  if (sender === botUserId || (allow && !allow.includes(sender))) return null;
  if (content.msgtype !== 'm.text' || typeof content.body !== 'string') return null;
  const rel = relation(content);
  // an edit repeats the message with a new body; acting on it again would act twice
  if (rel?.rel_type === 'm.replace') return null;
  const m: InboundMessage = { id, sender, origin: `matrix:${sender}`, text: content.body };
  if (rel?.rel_type === 'm.thread' && typeof rel.event_id === 'string') m.threadId = rel.event_id;
  return m;
}

export class MatrixConnector implements Connector {
  readonly kind = 'matrix' as const;
  readonly inbound = true;
  readonly target: string;
  private readonly base: string;

  constructor(
    private readonly config: MatrixConfig,
    private readonly token: string,
    private readonly http: HttpDeps,
    private readonly allow?: readonly string[],
  ) {
    this.target = config.room_id;
    this.base = `${config.homeserver_url.replace(/\/+$/, '')}/_matrix/client`;
  }

  private request(r: Omit<JsonRequest, 'kind' | 'url' | 'secrets'> & { path: string }) {
    const { path, ...rest } = r;
    return requestJson(
      { ...rest, kind: 'matrix', url: this.base + path, secrets: [this.token] },
      this.http,
    );
  }

  private get auth(): Record<string, string> {
    return { authorization: `Bearer ${this.token}` };
  }

  async send(m: OutboundMessage): Promise<SendResult> {
    const content: Record<string, unknown> = { msgtype: 'm.text', body: plainText(m, MAX_BODY) };
    if (m.threadId)
      content['m.relates_to'] = {
        rel_type: 'm.thread',
        event_id: m.threadId,
        is_falling_back: true,
        'm.in_reply_to': { event_id: m.threadId },
      };
    const room = encodeURIComponent(this.config.room_id);
    const res = await this.request({
      what: 'send m.room.message',
      method: 'PUT',
      path: `/v3/rooms/${room}/send/m.room.message/${encodeURIComponent(matrixTxnId(m.id))}`,
      headers: this.auth,
      body: content,
    });
    const eventId = expectRecord('matrix', 'send', res.json).event_id;
    return { messageId: typeof eventId === 'string' ? eventId : null };
  }

  private async sync(
    since: string | null,
    timeoutMs: number,
    limit: number,
    signal: AbortSignal,
  ): Promise<{ nextBatch: string; body: Record<string, unknown> }> {
    const q = new URLSearchParams({ timeout: String(timeoutMs) });
    if (since !== null) q.set('since', since);
    q.set('filter', syncFilter(this.config.room_id, limit));
    const res = await this.request({
      what: 'sync',
      method: 'GET',
      path: `/v3/sync?${q.toString()}`,
      headers: this.auth,
      timeoutMs: timeoutMs + POLL_MARGIN_MS,
      signal,
      retries: 0,
    });
    const body = expectRecord('matrix', 'sync', res.json);
    if (typeof body.next_batch !== 'string')
      throw new ConnectorError('matrix', 'sync answered without next_batch', { retryable: true });
    return { nextBatch: body.next_batch, body };
  }

  private messagesOf(body: Record<string, unknown>): InboundMessage[] {
    const rooms = isRecord(body.rooms) && isRecord(body.rooms.join) ? body.rooms.join : {};
    const room = rooms[this.config.room_id];
    const timeline = isRecord(room) && isRecord(room.timeline) ? room.timeline.events : [];
    return (Array.isArray(timeline) ? timeline : [])
      .map((e) => inboundFromEvent(e, this.config.user_id, this.allow))
      .filter((m): m is InboundMessage => m !== null);
  }

  subscribe(handler: (m: InboundMessage) => Promise<void>, o: SubscribeOptions): Promise<void> {
    return pollLoop(
      {
        // timeout=0 answers at once; its next_batch is "now", and its timeline is history
        skipHistory: async (signal) => (await this.sync(null, 0, 1, signal)).nextBatch,
        poll: async (since, signal): Promise<PollBatch> => {
          const r = await this.sync(since, MATRIX_POLL_MS, TIMELINE_LIMIT, signal);
          return { messages: this.messagesOf(r.body), cursor: r.nextBatch };
        },
      },
      handler,
      o,
      this.http.sleep,
    );
  }

  /** versions (no token) says the homeserver answers; whoami says whose the token is. */
  async health(): Promise<ConnectorHealth> {
    const host = new URL(this.base).host;
    const down = (e: unknown, reachable: boolean): ConnectorHealth => ({
      kind: 'matrix',
      ok: false,
      reachable,
      authenticated: false,
      detail: detailOf(e),
    });
    const common = { method: 'GET', retries: 0, timeoutMs: HEALTH_TIMEOUT_MS } as const;
    try {
      await this.request({ ...common, what: 'versions', path: '/versions' });
    } catch (e) {
      return down(e, false);
    }
    let userId: unknown;
    try {
      const res = await this.request({
        ...common,
        what: 'whoami',
        path: '/v3/account/whoami',
        headers: this.auth,
      });
      userId = expectRecord('matrix', 'whoami', res.json).user_id;
    } catch (e) {
      return down(e, true);
    }
    const ok = userId === this.config.user_id;
    return {
      kind: 'matrix',
      ok,
      reachable: true,
      authenticated: true,
      detail: ok
        ? `${host} answered versions; whoami is ${this.config.user_id}`
        : `${host}: the token belongs to ${String(userId)}, not to user_id ${this.config.user_id}`,
    };
  }
}

export function createMatrix(ctx: ConnectorContext): Connector {
  const block = ctx.config.matrix;
  if (!block)
    throw new ConnectorError('matrix', 'the connector.matrix block is missing', { code: 'USAGE' });
  return new MatrixConnector(block, ctx.secret, ctx.http, ctx.config.allow);
}
