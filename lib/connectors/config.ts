/**
 * The roster's optional `connector:` block (docs/connectors.md). Pure: the roster schema embeds
 * it, so it imports nothing but zod and the connector kinds. Secrets are never read from here:
 * each kind names the environment variable fleetd reads (DEFAULT_TOKEN_ENV, or `token_env`).
 */
import { z } from 'zod';
import { CONNECTOR_KINDS, type ConnectorKind } from './types.js';

export const DEFAULT_TOKEN_ENV: Readonly<Record<ConnectorKind, string | null>> = {
  none: null,
  matrix: 'MATRIX_ACCESS_TOKEN',
  telegram: 'TELEGRAM_BOT_TOKEN',
  slack: 'SLACK_WEBHOOK_URL',
  discord: 'DISCORD_WEBHOOK_URL',
  webhook: 'FLEET_WEBHOOK_SECRET',
};

/** What each kind's secret is, in messages: "set X (the access token) …". */
export const SECRET_NOUN: Readonly<Record<ConnectorKind, string>> = {
  none: '',
  matrix: 'access token',
  telegram: 'bot token',
  slack: 'webhook URL',
  discord: 'webhook URL',
  webhook: 'signing secret',
};

/** Inbox reasons sent when `notify.reasons` is not given (the caller validates the names). */
export const DEFAULT_NOTIFY_REASONS: readonly string[] = [
  'permission',
  'question',
  'rate_limited',
  'auth_failed',
  'failed',
  'recovery_halted',
  'card_blocked',
  'check_failed',
  'review',
  'merge_held',
];

export const DEFAULT_TELEGRAM_API_URL = 'https://api.telegram.org';

const httpUrl = z.url({
  protocol: /^https?$/,
  error: (iss) => (iss.input === undefined ? 'required' : 'must be an http:// or https:// URL'),
});

/** A required field with a message saying which kind needs it, instead of "expected string". */
const required = (what: string) =>
  z.string({
    error: (iss) => (iss.input === undefined ? `required: ${what}` : 'must be a string'),
  });

const matrixSchema = z
  .object({
    homeserver_url: httpUrl.describe('client-server API base, e.g. https://matrix.example.org'),
    user_id: required("the bot's Matrix user id, e.g. @fleet:example.org").regex(/^@[^:\s]+:\S+$/, {
      message: 'must be a Matrix user id like @fleet:example.org',
    }),
    // Room versions 12+ have ids without `:server`, so only the sigil is checked; an alias
    // (#room:server) never matches the room keys of /sync.
    room_id: required("the room's internal id, e.g. !abc:example.org").regex(/^![^\s]+$/, {
      message: 'must be a room id starting with ! (an alias #room:server is not accepted)',
    }),
  })
  .strict();

/** YAML reads `chat_id: -100123` as a number; ids are kept as strings. */
const telegramChatId = z
  .union([z.string(), z.number().int()], {
    error: (iss) =>
      iss.input === undefined
        ? 'required: the chat id the bot writes to, e.g. 123456 or -100123456'
        : 'must be a numeric chat id or @channel',
  })
  .transform(String)
  .pipe(
    z.string().regex(/^(-?\d+|@\w{5,})$/, { message: 'must be a numeric chat id or @channel' }),
  );

const telegramSchema = z
  .object({
    chat_id: telegramChatId,
    api_url: httpUrl.default(DEFAULT_TELEGRAM_API_URL).describe('Bot API base'),
  })
  .strict();

const emptyBlock = z.object({}).strict();

const notifySchema = z
  .object({
    reasons: z
      .array(z.string().min(1))
      .default(() => [...DEFAULT_NOTIFY_REASONS])
      .describe('inbox reasons that are sent'),
    max_per_minute: z.number().int().min(1).max(600).default(10),
  })
  .strict();

/** The kinds that need a block of their own, and what goes in it. */
const BLOCK_FIELDS = {
  matrix: 'homeserver_url, user_id and room_id',
  telegram: 'chat_id',
  webhook: 'url',
} as const;

const connectorObject = z
  .object({
    kind: z.enum(CONNECTOR_KINDS).describe('which chat platform (none turns the connector off)'),
    matrix: matrixSchema.optional(),
    telegram: telegramSchema.optional(),
    slack: emptyBlock.optional().describe('the webhook URL comes from SLACK_WEBHOOK_URL'),
    discord: emptyBlock.optional().describe('the webhook URL comes from DISCORD_WEBHOOK_URL'),
    webhook: z.object({ url: httpUrl }).strict().optional(),
    token_env: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { message: 'must be an environment variable name' })
      .optional()
      .describe('read the secret from this variable instead of the default'),
    allow: z
      .array(z.string().min(1))
      .min(1, { message: 'list at least one sender, or omit allow to accept anyone' })
      .optional()
      .describe('inbound senders accepted (default: anyone in the room or chat but the bot)'),
    notify: notifySchema.prefault({}),
    panel_url: httpUrl.optional().describe('base URL of the panel for links'),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (!Object.hasOwn(BLOCK_FIELDS, c.kind)) return;
    const kind = c.kind as keyof typeof BLOCK_FIELDS;
    if (c[kind] === undefined)
      ctx.addIssue({
        code: 'custom',
        path: [kind],
        message: `required when kind is ${kind} (${BLOCK_FIELDS[kind]})`,
      });
  });

/** An older roster wrote `type:` for `kind:`. Both at once is an error (`type` is no key). */
function typeAlias(v: unknown): unknown {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
  const { type, ...rest } = v as Record<string, unknown>;
  if (type === undefined) return v;
  return rest.kind === undefined ? { ...rest, kind: type } : v;
}

export const connectorSchema = z.preprocess(typeAlias, connectorObject);

export type ConnectorConfig = z.output<typeof connectorSchema>;
