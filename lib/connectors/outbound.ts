/**
 * What the outbound-only connectors (slack, discord, webhook) share: the secret URL check and a
 * health report that calls nothing, since any request to an incoming webhook posts a message.
 */
import { requestJson } from './http.js';
import type { ConnectorContext } from './registry.js';
import {
  ConnectorError,
  type Connector,
  type ConnectorHealth,
  type ConnectorKind,
  type OutboundMessage,
} from './types.js';

/** The host of a webhook URL read from the environment; the URL itself is a secret. */
export function webhookHost(kind: ConnectorKind, url: string, envName: string): string {
  let parsed: URL | null = null;
  try {
    parsed = new URL(url);
  } catch {
    parsed = null;
  }
  if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:'))
    throw new ConnectorError(kind, `${envName} is not an http:// or https:// URL`, {
      code: 'USAGE',
    });
  return parsed.host;
}

/**
 * `ok` says the connector is configured; `reachable` and `authenticated` stay false because
 * nothing was asked (types.ts ConnectorHealth), and the detail says so.
 */
export function outboundHealth(kind: ConnectorKind, host: string): ConnectorHealth {
  return {
    kind,
    ok: true,
    reachable: false,
    authenticated: false,
    detail: `outbound webhook configured (${host}); not called by the check, since any request would post a message`,
  };
}

/**
 * An incoming webhook (Slack, Discord): a POST of `body(message)` to the secret URL, no
 * message id back, and a health report that calls nothing. The platform's module gives the body.
 */
export function incomingWebhook(
  ctx: ConnectorContext,
  kind: 'slack' | 'discord',
  what: string,
  body: (m: OutboundMessage) => Record<string, unknown>,
): Connector {
  const url = ctx.secret;
  const target = webhookHost(kind, url, ctx.secretEnv);
  return {
    kind,
    target,
    inbound: false,
    async send(m) {
      await requestJson(
        { kind, what, method: 'POST', url, body: body(m), secrets: [url] },
        ctx.http,
      );
      return { messageId: null };
    },
    health: async () => outboundHealth(kind, target),
  };
}
