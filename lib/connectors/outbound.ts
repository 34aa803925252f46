/**
 * What the outbound-only connectors (slack, discord, webhook) share: the secret URL check and a
 * health report that calls nothing, since any request to an incoming webhook posts a message.
 */
import { ConnectorError, type ConnectorHealth, type ConnectorKind } from './types.js';

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
