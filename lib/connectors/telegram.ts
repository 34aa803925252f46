/**
 * Telegram, through the Bot API (docs/connectors.md "Telegram"). Sends plain text (no
 * parse_mode) to one chat; reads it back with getUpdates long-polls. The token is part of every
 * request's path, so no URL ever reaches an error or a log. getUpdates does not work while the
 * bot has a webhook set: Telegram answers 409, which reaches onError with its description.
 */
import type { ConnectorConfig } from './config.js';
import type { ConnectorContext } from './registry.js';
import { DEFAULT_TELEGRAM_API_URL } from './config.js';
import { detailOf, expectRecord, isRecord, requestJson, type HttpDeps } from './http.js';
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

export const TELEGRAM_POLL_S = 30;
const POLL_MARGIN_MS = 15_000;
const HEALTH_TIMEOUT_MS = 10_000;
/** sendMessage takes 1-4096 characters. */
const MAX_TEXT = 4096;

type TelegramConfig = NonNullable<ConnectorConfig['telegram']>;

/** The names a Telegram user can be allowed by: numeric id, @username, username. */
function namesOf(from: Record<string, unknown>): string[] {
  const names = typeof from.id === 'number' ? [String(from.id)] : [];
  if (typeof from.username === 'string') names.push(`@${from.username}`, from.username);
  return names;
}

function sameChat(chat: Record<string, unknown>, chatId: string): boolean {
  if (chatId.startsWith('@'))
    return (
      typeof chat.username === 'string' &&
      `@${chat.username}`.toLowerCase() === chatId.toLowerCase()
    );
  return String(chat.id) === chatId;
}

/** An update as an inbound message, or null when it is not a text from the configured chat. */
export function inboundFromUpdate(
  update: unknown,
  chatId: string,
  allow: readonly string[] | undefined,
): InboundMessage | null {
  if (!isRecord(update) || typeof update.update_id !== 'number') return null;
  const msg = update.message;
  if (!isRecord(msg) || !isRecord(msg.chat) || !isRecord(msg.from)) return null;
  if (!sameChat(msg.chat, chatId) || typeof msg.text !== 'string') return null;
  const names = namesOf(msg.from);
  if (!names.length || (allow && !names.some((n) => allow.includes(n)))) return null;
  const sender = typeof msg.from.username === 'string' ? `@${msg.from.username}` : names[0]!;
  const m: InboundMessage = {
    id: String(update.update_id),
    sender,
    origin: `telegram:${sender}`,
    text: msg.text,
  };
  if (msg.is_topic_message === true && typeof msg.message_thread_id === 'number')
    m.threadId = String(msg.message_thread_id);
  return m;
}

/** The offset that confirms every update in `updates`: the highest update_id + 1. */
export function nextOffset(updates: readonly unknown[]): string | null {
  let max = -1;
  for (const u of updates)
    if (isRecord(u) && typeof u.update_id === 'number') max = Math.max(max, u.update_id);
  return max < 0 ? null : String(max + 1);
}

export class TelegramConnector implements Connector {
  readonly kind = 'telegram' as const;
  readonly inbound = true;
  readonly target: string;
  private readonly api: string;

  constructor(
    private readonly config: TelegramConfig,
    private readonly token: string,
    private readonly http: HttpDeps,
    private readonly allow?: readonly string[],
  ) {
    this.target = config.chat_id;
    this.api = (config.api_url || DEFAULT_TELEGRAM_API_URL).replace(/\/+$/, '');
  }

  /** A Bot API method; its `result`, or a ConnectorError with Telegram's description. */
  private async call(
    method: string,
    body: unknown,
    extra: { timeoutMs?: number; signal?: AbortSignal; retries?: number } = {},
  ): Promise<unknown> {
    const res = await requestJson(
      {
        kind: 'telegram',
        what: method,
        method: 'POST',
        url: `${this.api}/bot${this.token}/${method}`,
        body,
        secrets: [this.token],
        ...extra,
      },
      this.http,
    );
    const json = expectRecord('telegram', method, res.json);
    if (json.ok !== true)
      throw new ConnectorError('telegram', `${method} answered ok: false`, { status: res.status });
    return json.result;
  }

  async send(m: OutboundMessage): Promise<SendResult> {
    const body: Record<string, unknown> = {
      chat_id: this.config.chat_id,
      text: plainText(m, MAX_TEXT),
      disable_web_page_preview: true,
    };
    if (m.threadId && /^\d+$/.test(m.threadId)) body.message_thread_id = Number(m.threadId);
    const result = await this.call('sendMessage', body);
    const id = isRecord(result) ? result.message_id : undefined;
    return { messageId: typeof id === 'number' ? String(id) : null };
  }

  private async updates(body: Record<string, unknown>, signal: AbortSignal): Promise<unknown[]> {
    const timeoutMs = Number(body.timeout) * 1000 + POLL_MARGIN_MS;
    const result = await this.call('getUpdates', body, { timeoutMs, signal, retries: 0 });
    if (!Array.isArray(result))
      throw new ConnectorError('telegram', 'getUpdates answered no list', { retryable: true });
    return result;
  }

  subscribe(handler: (m: InboundMessage) => Promise<void>, o: SubscribeOptions): Promise<void> {
    const allowed_updates = ['message'];
    return pollLoop(
      {
        // offset -1 returns only the newest update and forgets every one before it
        skipHistory: async (signal) =>
          nextOffset(await this.updates({ offset: -1, timeout: 0, allowed_updates }, signal)),
        poll: async (offset, signal): Promise<PollBatch> => {
          const body: Record<string, unknown> = { timeout: TELEGRAM_POLL_S, allowed_updates };
          if (offset !== null) body.offset = Number(offset);
          const updates = await this.updates(body, signal);
          const messages = updates
            .map((u) => inboundFromUpdate(u, this.config.chat_id, this.allow))
            .filter((m): m is InboundMessage => m !== null);
          return { messages, cursor: nextOffset(updates) };
        },
      },
      handler,
      o,
      this.http.sleep,
    );
  }

  async health(): Promise<ConnectorHealth> {
    const host = new URL(this.api).host;
    try {
      const me = await this.call('getMe', {}, { retries: 0, timeoutMs: HEALTH_TIMEOUT_MS });
      const name = isRecord(me) && typeof me.username === 'string' ? `@${me.username}` : 'a bot';
      return {
        kind: 'telegram',
        ok: true,
        reachable: true,
        authenticated: true,
        detail: `${host} answered getMe: ${name}`,
      };
    } catch (e) {
      // the API answers a bad token with 401 or 404; a 5xx is a proxy or an outage
      const answered = e instanceof ConnectorError && e.status !== null && e.status < 500;
      return {
        kind: 'telegram',
        ok: false,
        reachable: answered,
        authenticated: false,
        detail: detailOf(e),
      };
    }
  }
}

export function createTelegram(ctx: ConnectorContext): Connector {
  const block = ctx.config.telegram;
  if (!block)
    throw new ConnectorError('telegram', 'the connector.telegram block is missing', {
      code: 'USAGE',
    });
  return new TelegramConnector(block, ctx.secret, ctx.http, ctx.config.allow);
}
