/**
 * Slack, through an incoming webhook (docs/connectors.md "Slack"): outbound only. The webhook
 * URL is the secret (SLACK_WEBHOOK_URL). Slack answers 200 with the body `ok`.
 */
import { incomingWebhook } from './outbound.js';
import type { ConnectorContext } from './registry.js';
import { plainText } from './text.js';
import type { Connector } from './types.js';

/** Slack cuts a message at 40 000 characters; escaping below can lengthen it, so stop short. */
const MAX_TEXT = 30_000;

/**
 * Slack reads `<…>` as a link or a mention (`<!channel>` pings everyone) and asks for these
 * three characters to be escaped; `mrkdwn: false` turns its other formatting off.
 */
export function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function createSlack(ctx: ConnectorContext): Connector {
  return incomingWebhook(ctx, 'slack', 'incoming webhook', (m) => ({
    text: slackEscape(plainText(m, MAX_TEXT)),
    mrkdwn: false,
  }));
}
