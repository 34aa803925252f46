/**
 * Discord, through a channel webhook (docs/connectors.md "Discord"): outbound only. The webhook
 * URL is the secret (DISCORD_WEBHOOK_URL). Discord answers 204 with no body.
 */
import { requestJson, type HttpDeps } from './http.js';
import { outboundHealth, webhookHost } from './outbound.js';
import type { ConnectorContext } from './registry.js';
import { plainText } from './text.js';
import type { Connector, ConnectorHealth, OutboundMessage, SendResult } from './types.js';

/** A webhook message's content holds at most 2000 characters. */
export const DISCORD_MAX_CONTENT = 2000;

export class DiscordConnector implements Connector {
  readonly kind = 'discord' as const;
  readonly inbound = false;

  constructor(
    private readonly url: string,
    readonly target: string,
    private readonly http: HttpDeps,
  ) {}

  async send(m: OutboundMessage): Promise<SendResult> {
    await requestJson(
      {
        kind: 'discord',
        what: 'webhook',
        method: 'POST',
        url: this.url,
        // Discord always renders Markdown in content and has no switch for it; what it can
        // switch off is mentions, so a relayed "@everyone" pings nobody
        body: { content: plainText(m, DISCORD_MAX_CONTENT), allowed_mentions: { parse: [] } },
        secrets: [this.url],
      },
      this.http,
    );
    return { messageId: null };
  }

  async health(): Promise<ConnectorHealth> {
    return outboundHealth('discord', this.target);
  }
}

export function createDiscord(ctx: ConnectorContext): Connector {
  return new DiscordConnector(
    ctx.secret,
    webhookHost('discord', ctx.secret, ctx.secretEnv),
    ctx.http,
  );
}
