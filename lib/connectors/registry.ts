/**
 * From the roster's `connector:` block and fleetd's environment to a Connector
 * (docs/connectors.md). Secrets come only from the environment, never from the roster.
 */
import { DEFAULT_TOKEN_ENV, SECRET_NOUN, type ConnectorConfig } from './config.js';
import { createDiscord } from './discord.js';
import { defaultHttpDeps, type HttpDeps, type Sleep } from './http.js';
import { createMatrix } from './matrix.js';
import { createSlack } from './slack.js';
import { createTelegram } from './telegram.js';
import { createWebhook } from './webhook.js';
import { ConnectorError, type Connector, type ConnectorKind } from './types.js';

export interface ConnectorDeps {
  fetch?: typeof fetch;
  sleep?: Sleep;
  /** retries after a 429, 5xx or network error (default 4) */
  retries?: number;
}

/** What a factory gets: the validated block, the secret read from the environment, and IO. */
export interface ConnectorContext {
  config: ConnectorConfig;
  /** the token, webhook URL or signing secret, trimmed and non-empty */
  secret: string;
  /** the variable it came from, for messages */
  secretEnv: string;
  http: HttpDeps;
}

export type ConnectorFactory = (ctx: ConnectorContext) => Connector;

const factories = new Map<ConnectorKind, ConnectorFactory>([
  ['matrix', createMatrix],
  ['telegram', createTelegram],
  ['slack', createSlack],
  ['discord', createDiscord],
  ['webhook', createWebhook],
]);

/** Adds or replaces the factory of a kind (tests, or a platform kept outside this module). */
export function registerConnector(kind: ConnectorKind, factory: ConnectorFactory): void {
  factories.set(kind, factory);
}

/** The connector for this config, or null for kind none. Throws ConnectorError (USAGE). */
export function createConnector(
  config: ConnectorConfig,
  env: Readonly<Record<string, string | undefined>>,
  deps: ConnectorDeps = {},
): Connector | null {
  const kind: string = config.kind;
  if (kind === 'none') return null;
  const factory = factories.get(config.kind);
  const secretEnv = config.token_env ?? DEFAULT_TOKEN_ENV[config.kind];
  if (!factory || !secretEnv) {
    const known = ['none', ...factories.keys()].join(', ');
    throw new ConnectorError(kind, `unknown connector kind "${kind}" (known: ${known})`, {
      code: 'USAGE',
    });
  }
  const secret = env[secretEnv]?.trim();
  if (!secret) {
    const noun = SECRET_NOUN[config.kind];
    throw new ConnectorError(
      kind,
      `set ${secretEnv} in fleetd's environment (the ${noun} is never read from the roster)`,
      { code: 'USAGE' },
    );
  }
  return factory({ config, secret, secretEnv, http: defaultHttpDeps(deps) });
}
