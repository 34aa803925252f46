/**
 * Slack, through an incoming webhook (docs/connectors.md "Slack"): outbound only. The webhook
 * URL is the secret (SLACK_WEBHOOK_URL). Slack answers 200 with the body `ok`.
 */
import { requestJson, type HttpDeps } from './http.js';
import { outboundHealth, webhookHost } from './outbound.js';
import type { ConnectorContext } from './registry.js';
import { plainText } from './text.js';
import type { Connector, ConnectorHealth, OutboundMessage, SendResult } from './types.js';

/** Slack cuts a message at 40 000 characters; escaping below can lengthen it, so stop short. */
const MAX_TEXT = 30_000;

/**
 * Slack reads `<…>` as a link or a mention (`<!channel>` pings everyone) and asks for these
 * three characters to be escaped; `mrkdwn: false` turns its other formatting off.
 */
export function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export class SlackConnector implements Connector {
  readonly kind = 'slack' as const;
  readonly inbound = false;

  constructor(
    private readonly url: string,
    readonly target: string,
    private readonly http: HttpDeps,
  ) {}

  async send(m: OutboundMessage): Promise<SendResult> {
    await requestJson(
      {
        kind: 'slack',
        what: 'incoming webhook',
        method: 'POST',
        url: this.url,
        body: { text: slackEscape(plainText(m, MAX_TEXT)), mrkdwn: false },
        secrets: [this.url],
      },
      this.http,
    );
    return { messageId: null };
  }

  async health(): Promise<ConnectorHealth> {
    return outboundHealth('slack', this.target);
  }
}

export function createSlack(ctx: ConnectorContext): Connector {
  return new SlackConnector(ctx.secret, webhookHost('slack', ctx.secret, ctx.secretEnv), ctx.http);
}
