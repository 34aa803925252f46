/**
 * The connector question of `fleet init` (docs/connectors.md "Choosing a connector at init"):
 * which chat platform, the few fields its block needs, and the `connector:` block written into
 * the new roster. Values are checked by the roster's own connector schema, so the flags, the
 * wizard and `fleet roster validate` give the same messages. No secret is asked for or written:
 * each kind names the variable fleetd reads it from (DEFAULT_TOKEN_ENV).
 */
import { isMap, type Document } from 'yaml';
import { connectorSchema, DEFAULT_TOKEN_ENV, SECRET_NOUN } from './connectors/config.js';
import { CONNECTOR_KINDS, type ConnectorKind } from './connectors/types.js';
import { usage } from './errors.js';

/** The per-kind flags of `fleet init`, as commander names them. */
export interface ConnectorFlags {
  connector?: string;
  matrixHomeserver?: string;
  matrixUser?: string;
  matrixRoom?: string;
  telegramChat?: string;
  webhookUrl?: string;
}

type FieldOption = Exclude<keyof ConnectorFlags, 'connector'>;

export interface ConnectorField {
  /** the key inside the kind's block, e.g. `homeserver_url` under `matrix:` */
  key: string;
  option: FieldOption;
  flag: string;
  arg: string;
  prompt: string;
}

/** What each kind's block needs; slack and discord need nothing but the secret. */
export const CONNECTOR_FIELDS: Readonly<Record<ConnectorKind, readonly ConnectorField[]>> = {
  none: [],
  matrix: [
    {
      key: 'homeserver_url',
      option: 'matrixHomeserver',
      flag: '--matrix-homeserver',
      arg: '<url>',
      prompt: 'Matrix homeserver URL (e.g. https://matrix.example.org)',
    },
    {
      key: 'user_id',
      option: 'matrixUser',
      flag: '--matrix-user',
      arg: '<@id>',
      prompt: "The bot's Matrix user id (e.g. @fleet:example.org)",
    },
    {
      key: 'room_id',
      option: 'matrixRoom',
      flag: '--matrix-room',
      arg: '<!id>',
      prompt: "The room's internal id (e.g. !abc:example.org, not an #alias)",
    },
  ],
  telegram: [
    {
      key: 'chat_id',
      option: 'telegramChat',
      flag: '--telegram-chat',
      arg: '<id>',
      prompt: 'Telegram chat id the bot writes to (e.g. 123456, -100123456 or @channel)',
    },
  ],
  slack: [],
  discord: [],
  webhook: [
    {
      key: 'url',
      option: 'webhookUrl',
      flag: '--webhook-url',
      arg: '<url>',
      prompt: 'URL the fleet POSTs notifications to',
    },
  ],
};

export const CONNECTOR_DESCRIPTIONS: Readonly<Record<ConnectorKind, string>> = {
  none: 'no chat: notifications stay in the inbox (fleet inbox, the panel)',
  matrix: 'a Matrix room: notifications out, messages back to the orchestrator',
  telegram: 'a Telegram chat through a bot: notifications out, messages back',
  slack: 'a Slack incoming webhook: notifications out only',
  discord: 'a Discord webhook: notifications out only',
  webhook: 'a signed JSON POST to your own URL: notifications out only',
};

export interface ConnectorChoice {
  kind: ConnectorKind;
  /** block key → value, for the kind's CONNECTOR_FIELDS */
  fields: Readonly<Record<string, string>>;
}

export function isConnectorKind(s: string): s is ConnectorKind {
  return (CONNECTOR_KINDS as readonly string[]).includes(s);
}

export function parseConnectorKind(s: string): ConnectorKind {
  if (isConnectorKind(s)) return s;
  throw usage(`unknown connector "${s}" (kinds: ${CONNECTOR_KINDS.join(', ')})`);
}

/** The schema's message for one field's value, or null when the schema accepts it. */
export function fieldProblem(kind: ConnectorKind, key: string, value: string): string | null {
  const r = connectorSchema.safeParse({ kind, [kind]: { [key]: value } });
  if (r.success) return null;
  const issue = r.error.issues.find(
    (i) => i.path.length === 2 && i.path[0] === kind && i.path[1] === key,
  );
  return issue ? issue.message : null;
}

/**
 * Check the flags without asking anything: an unknown kind, a field flag of another kind and a
 * value the schema refuses are usage errors. Returns the kind (undefined when --connector was
 * not given) and the fields the flags set; fields still missing are the caller's to ask or
 * refuse (requireFields).
 */
export function connectorFromFlags(flags: ConnectorFlags): {
  kind: ConnectorKind | undefined;
  fields: Record<string, string>;
} {
  const kind = flags.connector === undefined ? undefined : parseConnectorKind(flags.connector);
  const fields: Record<string, string> = {};
  for (const k of CONNECTOR_KINDS) {
    for (const f of CONNECTOR_FIELDS[k]) {
      const value = flags[f.option];
      if (value === undefined) continue;
      if (k !== kind) {
        const given = kind ? `, not ${kind}` : ` (add --connector ${k})`;
        throw usage(`${f.flag} applies to --connector ${k}${given}`);
      }
      const problem = fieldProblem(k, f.key, value);
      if (problem) throw usage(`${f.flag}: ${problem}`);
      fields[f.key] = value;
    }
  }
  return { kind, fields };
}

/** The non-interactive end: every field the kind needs must have come from a flag. */
export function requireFields(
  kind: ConnectorKind,
  fields: Readonly<Record<string, string>>,
): ConnectorChoice {
  const missing = CONNECTOR_FIELDS[kind].filter((f) => fields[f.key] === undefined);
  if (missing.length) {
    throw usage(
      `--connector ${kind} needs ${missing.map((f) => `${f.flag} ${f.arg}`).join(' and ')}`,
    );
  }
  return { kind, fields };
}

/** The `connector:` block as written to roster.yaml; null for kind none (no block). */
export function connectorBlock(choice: ConnectorChoice): Record<string, unknown> | null {
  if (choice.kind === 'none') return null;
  return CONNECTOR_FIELDS[choice.kind].length
    ? { kind: choice.kind, [choice.kind]: { ...choice.fields } }
    : { kind: choice.kind };
}

/** Where the secret comes from: `{ env, noun }`, or null for kind none. */
export function connectorSecret(kind: ConnectorKind): { env: string; noun: string } | null {
  const env = DEFAULT_TOKEN_ENV[kind];
  return env ? { env, noun: SECRET_NOUN[kind] } : null;
}

/**
 * Add the block at the end of the roster document, after a comment naming the variable the
 * secret comes from. The document's other comments are untouched. Replaces a block already there.
 */
export function addConnectorBlock(doc: Document, choice: ConnectorChoice): void {
  const block = connectorBlock(choice);
  const secret = connectorSecret(choice.kind);
  if (!block || !secret) return;
  const root = doc.contents;
  if (!isMap(root)) throw usage('the roster is not a YAML mapping; cannot add a connector');
  doc.delete('connector');
  const pair = doc.createPair('connector', block);
  const key = doc.createNode('connector');
  key.spaceBefore = true;
  key.commentBefore = ` the ${secret.noun} comes from ${secret.env} in fleetd's environment, never from this file`;
  pair.key = key;
  root.items.push(pair);
}

/** The one line printed after init writes a roster with a connector. */
export function connectorNextStep(kind: ConnectorKind): string | null {
  const secret = connectorSecret(kind);
  if (!secret) return null;
  return `connector ${kind}: set ${secret.env} (the ${secret.noun}) in fleetd's environment, then run: fleet connector test`;
}
