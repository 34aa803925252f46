/**
 * A generic JSON webhook (docs/connectors.md "Webhook"): outbound only. Each POST is signed
 * with HMAC-SHA256 over `<timestamp>.<body>` using FLEET_WEBHOOK_SECRET, so the receiver can
 * check who sent it and refuse a stale timestamp; `x-fleet-id` lets it drop a retried
 * delivery it already has.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { requestJson, type HttpDeps } from './http.js';
import { outboundHealth, webhookHost } from './outbound.js';
import type { ConnectorContext } from './registry.js';
import {
  ConnectorError,
  type Connector,
  type ConnectorHealth,
  type OutboundMessage,
  type SendResult,
} from './types.js';

export function signatureOf(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** For receivers: does `header` (x-fleet-signature) sign this timestamp and raw body? */
export function verifySignature(
  secret: string,
  timestamp: string | number,
  body: string,
  header: string,
): boolean {
  const want = Buffer.from(signatureOf(secret, String(timestamp), body));
  const got = Buffer.from(header);
  return got.length === want.length && timingSafeEqual(got, want);
}

export class WebhookConnector implements Connector {
  readonly kind = 'webhook' as const;
  readonly inbound = false;

  constructor(
    private readonly url: string,
    private readonly secret: string,
    readonly target: string,
    private readonly http: HttpDeps,
  ) {}

  async send(m: OutboundMessage): Promise<SendResult> {
    const now = Date.now();
    const timestamp = String(Math.floor(now / 1000));
    const body = JSON.stringify({
      id: m.id,
      text: m.text,
      link: m.link ?? null,
      sent_at: new Date(now).toISOString(),
    });
    await requestJson(
      {
        kind: 'webhook',
        what: 'POST',
        method: 'POST',
        url: this.url,
        headers: {
          'content-type': 'application/json',
          'x-fleet-id': m.id,
          'x-fleet-timestamp': timestamp,
          'x-fleet-signature': signatureOf(this.secret, timestamp, body),
        },
        body,
        secrets: [this.secret],
      },
      this.http,
    );
    return { messageId: null };
  }

  async health(): Promise<ConnectorHealth> {
    return outboundHealth('webhook', this.target);
  }
}

export function createWebhook(ctx: ConnectorContext): Connector {
  const url = ctx.config.webhook?.url;
  if (!url)
    throw new ConnectorError('webhook', 'the connector.webhook block is missing', {
      code: 'USAGE',
    });
  return new WebhookConnector(
    url,
    ctx.secret,
    webhookHost('webhook', url, 'webhook.url'),
    ctx.http,
  );
}
