/**
 * The chat connector interface: one pure HTTP client per platform (docs/connectors.md). A
 * connector sends fleet notifications out and, where the platform allows, long-polls for
 * messages sent back. It knows nothing about fleetd: the caller owns the outbox, the cursor's
 * storage and what an inbound message does.
 */
import { FleetError, type ErrorCode } from '../errors.js';

export const CONNECTOR_KINDS = [
  'none',
  'matrix',
  'telegram',
  'slack',
  'discord',
  'webhook',
] as const;
export type ConnectorKind = (typeof CONNECTOR_KINDS)[number];

export interface OutboundMessage {
  /** stable id of what is sent (the outbox row id): Matrix txnId, webhook idempotency header */
  id: string;
  text: string;
  /** absolute URL into the panel, appended/attached where the platform allows */
  link?: string;
  /** reply in a thread (Matrix m.thread root event id, Telegram forum topic id) */
  threadId?: string;
}

export interface SendResult {
  messageId: string | null;
}

export interface InboundMessage {
  /** platform id of the message (Matrix event_id, Telegram update_id) */
  id: string;
  /** who wrote it, e.g. '@alice:example.org' or telegram username/id */
  sender: string;
  /** `<kind>:<sender>` used to label it, e.g. 'matrix:@alice:example.org' */
  origin: string;
  text: string;
  threadId?: string;
}

/**
 * `reachable` and `authenticated` are true only when a request in this check showed it; an
 * outbound-only webhook is never called by a health check (any request posts a message), so it
 * reports `ok: true` (configured) with both false and says so in `detail`.
 */
export interface ConnectorHealth {
  kind: ConnectorKind;
  ok: boolean;
  reachable: boolean;
  authenticated: boolean;
  /** one line: what was checked and what answered, never a secret */
  detail: string;
}

export interface SubscribeOptions {
  /** where to resume: the Matrix /sync next_batch, the Telegram getUpdates offset (as string); null = start from now, skipping history */
  cursor: string | null;
  saveCursor(cursor: string): Promise<void>;
  signal: AbortSignal;
  /** each failed poll (or handler) before the loop backs off and tries again; never a secret */
  onError?(e: Error): void;
}

export interface Connector {
  kind: ConnectorKind;
  /** the target, for humans: room id, chat id, webhook host; never a secret */
  target: string;
  /** outbound only (slack, discord, webhook) have no subscribe */
  readonly inbound: boolean;
  send(m: OutboundMessage): Promise<SendResult>;
  /** long-poll until signal aborts; handler awaited per message in order; cursor saved after each batch is handled */
  subscribe?(handler: (m: InboundMessage) => Promise<void>, o: SubscribeOptions): Promise<void>;
  health(): Promise<ConnectorHealth>;
}

/**
 * ErrorCode has no code for "an upstream service failed", so a connector failure uses the
 * nearest ones: USAGE for configuration (missing secret, unknown kind), BUSY for a rate limit
 * that outlasted the retries, TIMEOUT for a request that timed out, and COMMAND_FAILED (an
 * external call failed) for everything else. Callers decide on `retryable`, not on the code.
 */
export type ConnectorErrorCode = Extract<
  ErrorCode,
  'USAGE' | 'BUSY' | 'TIMEOUT' | 'COMMAND_FAILED'
>;

export interface ConnectorErrorOptions {
  /** the HTTP status the platform answered, or null when there was no answer */
  status?: number | null;
  retryable?: boolean;
  /** how long the platform asked us to wait (Retry-After, retry_after_ms, retry_after) */
  retryAfterMs?: number | null;
  code?: ConnectorErrorCode;
  cause?: unknown;
}

/**
 * A connector failed. The message reads `connector <kind>: <detail>` and never holds a secret:
 * no request URL (Telegram's token is in its path), no header, and platform text is redacted.
 */
export class ConnectorError extends FleetError {
  /** the connector kind, or the unrecognised value when the kind itself is unknown */
  readonly kind: string;
  readonly status: number | null;
  readonly retryable: boolean;
  readonly retryAfterMs: number | null;
  /** the message without its `connector <kind>: ` prefix, for a health line */
  readonly detail: string;

  constructor(kind: string, detail: string, options: ConnectorErrorOptions = {}) {
    const cause = options.cause === undefined ? undefined : { cause: options.cause };
    super(options.code ?? 'COMMAND_FAILED', `connector ${kind}: ${detail}`, cause);
    this.kind = kind;
    this.detail = detail;
    this.status = options.status ?? null;
    this.retryable = options.retryable ?? false;
    this.retryAfterMs = options.retryAfterMs ?? null;
  }
}
