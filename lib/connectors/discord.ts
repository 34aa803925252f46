/**
 * Discord, through a channel webhook (docs/connectors.md "Discord"): outbound only. The webhook
 * URL is the secret (DISCORD_WEBHOOK_URL). Discord answers 204 with no body.
 */
import { incomingWebhook } from './outbound.js';
import type { ConnectorContext } from './registry.js';
import { plainText } from './text.js';
import type { Connector } from './types.js';

/** A webhook message's content holds at most 2000 characters. */
export const DISCORD_MAX_CONTENT = 2000;

export function createDiscord(ctx: ConnectorContext): Connector {
  // Discord always renders Markdown in content and has no switch for it; what it can switch
  // off is mentions, so a relayed "@everyone" pings nobody
  return incomingWebhook(ctx, 'discord', 'webhook', (m) => ({
    content: plainText(m, DISCORD_MAX_CONTENT),
    allowed_mentions: { parse: [] },
  }));
}
