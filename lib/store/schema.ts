/**
 * The store's one drizzle schema, shared by PGlite and PostgreSQL (docs/architecture.md
 * "The store has one owner"). Migrations are generated from it into drizzle/ with `npm run
 * db:generate`; never `drizzle-kit push` or `studio` against the PGlite dir (they open it).
 *
 * Every row carries tenant_id (and host where a host acted), docs/architecture.md invariant 5. jsonb
 * columns hold objects only: a jsonb *string* that looks like a number comes back as a number
 * (docs/pitfalls.md "Store"), so each has a CHECK on jsonb_typeof.
 *
 * Keep this file free of project imports: drizzle-kit loads it on its own.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  doublePrecision,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

const CARD_STATUSES = ['ready', 'claimed', 'review', 'blocked', 'done'] as const;
export type CardStatus = (typeof CARD_STATUSES)[number];

const CARD_EVENT_KINDS = [
  'created',
  'claimed',
  'renewed',
  'completed',
  'failed',
  'reclaimed',
  'blocked',
  'unblocked',
  'moved',
  'linked',
  'unlinked',
  'updated',
  'submitted',
  'approved',
  'returned',
  'merged',
  'merge_held',
] as const;
export type CardEventKind = (typeof CARD_EVENT_KINDS)[number];

/** What "done" means for a card: criteria for the agent, and an optional check command. */
export interface Acceptance {
  criteria: string[];
  check?: string;
}

const tz = { withTimezone: true, mode: 'date' } as const;
const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));

export const cards = pgTable(
  'cards',
  {
    tenantId: text('tenant_id').notNull(),
    id: text('id').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull().default(''),
    phase: text('phase'),
    /** higher is sooner */
    priority: integer('priority').notNull().default(0),
    status: text('status', { enum: CARD_STATUSES }).notNull().default('ready'),
    statusChangedAt: timestamp('status_changed_at', tz).notNull().defaultNow(),
    assigneeClass: text('assignee_class'),
    claimOwner: text('claim_owner'),
    claimHost: text('claim_host'),
    claimedAt: timestamp('claimed_at', tz),
    leaseExpiresAt: timestamp('lease_expires_at', tz),
    /** fencing token: incremented by every claim, required by renew/complete/fail */
    fence: integer('fence').notNull().default(0),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull().default(3),
    idempotencyKey: text('idempotency_key'),
    acceptance: jsonb('acceptance').$type<Acceptance>().notNull().default({ criteria: [] }),
    /** advisory only: there is no meter, budgets degrade to the lease TTL */
    projectedSpend: doublePrecision('projected_spend'),
    actualSpend: doublePrecision('actual_spend'),
    blockedReason: text('blocked_reason'),
    lastError: text('last_error'),
    /** the host whose fleetd created the card */
    host: text('host').notNull(),
    createdAt: timestamp('created_at', tz).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', tz).notNull().defaultNow(),
    doneAt: timestamp('done_at', tz),
    /** a repository card (docs/review.md): the roster repo, its base branch and the paths it touches */
    repo: text('repo'),
    base: text('base'),
    paths: jsonb('paths').$type<{ globs: string[] }>().notNull().default({ globs: [] }),
    /** only this agent may take the card (its author, when it comes back from review) */
    assignee: text('assignee'),
    /** the review record (lib/review/contract.ts ReviewRecord), null until first reviewed */
    review: jsonb('review').$type<object>(),
    /** why a ready card is not dispatched now (its paths overlap work in progress) */
    waitReason: text('wait_reason'),
  },
  (t) => [
    primaryKey({ name: 'cards_pk', columns: [t.tenantId, t.id] }),
    uniqueIndex('cards_idempotency_key_idx')
      .on(t.tenantId, t.idempotencyKey)
      .where(sql`${t.idempotencyKey} is not null`),
    // matches ORDER BY priority DESC (NULLS FIRST by default) so claims read it in order, no sort
    index('cards_claim_order_idx').on(
      t.tenantId,
      t.status,
      t.priority.desc().nullsFirst(),
      t.createdAt,
      t.id,
    ),
    index('cards_lease_idx').on(t.tenantId, t.status, t.leaseExpiresAt),
    check('cards_status_check', sql`${t.status} in (${inList(CARD_STATUSES)})`),
    check('cards_acceptance_object', sql`jsonb_typeof(${t.acceptance}) = 'object'`),
    check('cards_paths_object', sql`jsonb_typeof(${t.paths}) = 'object'`),
    check('cards_review_object', sql`${t.review} is null or jsonb_typeof(${t.review}) = 'object'`),
    check('cards_attempts_check', sql`${t.attempts} >= 0 and ${t.maxAttempts} >= 1`),
  ],
);

/** The dependency DAG: card_id depends on depends_on_id (same tenant). */
export const cardDeps = pgTable(
  'card_deps',
  {
    tenantId: text('tenant_id').notNull(),
    cardId: text('card_id').notNull(),
    dependsOnId: text('depends_on_id').notNull(),
    /** the host whose fleetd added the edge */
    host: text('host').notNull(),
    createdAt: timestamp('created_at', tz).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'card_deps_pk', columns: [t.tenantId, t.cardId, t.dependsOnId] }),
    index('card_deps_reverse_idx').on(t.tenantId, t.dependsOnId),
    foreignKey({
      name: 'card_deps_card_fk',
      columns: [t.tenantId, t.cardId],
      foreignColumns: [cards.tenantId, cards.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'card_deps_depends_on_fk',
      columns: [t.tenantId, t.dependsOnId],
      foreignColumns: [cards.tenantId, cards.id],
    }).onDelete('cascade'),
    check('card_deps_no_self', sql`${t.cardId} <> ${t.dependsOnId}`),
  ],
);

/** Append-only history of every card; nothing updates or deletes these rows. */
export const cardEvents = pgTable(
  'card_events',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    tenantId: text('tenant_id').notNull(),
    cardId: text('card_id').notNull(),
    kind: text('kind', { enum: CARD_EVENT_KINDS }).notNull(),
    actor: text('actor').notNull(),
    host: text('host').notNull(),
    detail: jsonb('detail').$type<Record<string, unknown>>().notNull().default({}),
    at: timestamp('at', tz).notNull().defaultNow(),
  },
  (t) => [
    index('card_events_card_idx').on(t.tenantId, t.cardId, t.seq),
    // an agent's own events (claims it held: actor `<agent>` or `<agent>@<host>#<epoch>`), by
    // time, for its timeline (lib/ops/timeline.ts)
    index('card_events_agent_idx').on(t.tenantId, sql`split_part(${t.actor}, '@', 1)`, t.at),
    check('card_events_kind_check', sql`${t.kind} in (${inList(CARD_EVENT_KINDS)})`),
    check('card_events_detail_object', sql`jsonb_typeof(${t.detail}) = 'object'`),
  ],
);

/** Agent registry and heartbeats, one row per agent per host, for every host's panel. */
export const agents = pgTable(
  'agents',
  {
    tenantId: text('tenant_id').notNull(),
    host: text('host').notNull(),
    name: text('name').notNull(),
    runtime: text('runtime').notNull(),
    class: text('class').notNull(),
    state: text('state').notNull().default('unknown'),
    /** incremented on every start; reports carrying an older epoch are ignored */
    spawnEpoch: integer('spawn_epoch').notNull().default(0),
    pid: integer('pid'),
    lastHeartbeatAt: timestamp('last_heartbeat_at', tz),
    status: jsonb('status').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp('created_at', tz).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', tz).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'agents_pk', columns: [t.tenantId, t.host, t.name] }),
    check('agents_status_object', sql`jsonb_typeof(${t.status}) = 'object'`),
  ],
);

/**
 * The register's host rows (docs/architecture.md "The register"): one per fleetd, written every
 * tick, so every host can tell a live peer from one that went away.
 */
export const hosts = pgTable(
  'hosts',
  {
    tenantId: text('tenant_id').notNull(),
    host: text('host').notNull(),
    pid: integer('pid').notNull(),
    version: text('version').notNull(),
    /** the supervisor's tick: a row older than three of these is unreachable */
    tickMs: integer('tick_ms').notNull(),
    startedAt: timestamp('started_at', tz).notNull(),
    lastSeenAt: timestamp('last_seen_at', tz).notNull().defaultNow(),
    /** this host's panel, where another host's panel links to watch its terminals */
    panelUrl: text('panel_url'),
  },
  (t) => [primaryKey({ name: 'hosts_pk', columns: [t.tenantId, t.host] })],
);

/**
 * The relay (docs/architecture.md "The relay"): a command for an agent on another host (send,
 * restart, terminate), kept until the owning fleetd has carried it out and written its result.
 * The id is the caller's idempotency key: submitting it again returns the same row.
 */
export const relayCommands = pgTable(
  'relay_commands',
  {
    tenantId: text('tenant_id').notNull(),
    id: text('id').notNull(),
    fromHost: text('from_host').notNull(),
    toHost: text('to_host').notNull(),
    agent: text('agent').notNull(),
    kind: text('kind').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull().default({}),
    /** pending → taken (by the owning fleetd) → done */
    state: text('state').notNull().default('pending'),
    /** the fleetd that took it: `<pid>@<started>`, to tell its own restart from a live one */
    takenBy: text('taken_by'),
    result: jsonb('result').$type<Record<string, unknown>>(),
    createdAt: timestamp('created_at', tz).notNull().defaultNow(),
    takenAt: timestamp('taken_at', tz),
    doneAt: timestamp('done_at', tz),
  },
  (t) => [
    primaryKey({ name: 'relay_commands_pk', columns: [t.tenantId, t.id] }),
    index('relay_commands_to_idx').on(t.tenantId, t.toHost, t.state, t.createdAt),
    check('relay_commands_state', sql`${t.state} in ('pending', 'taken', 'done')`),
  ],
);

/** Fleet-wide flags and settings (e.g. `paused`), one object value per name. */
export const fleetFlags = pgTable(
  'fleet_flags',
  {
    tenantId: text('tenant_id').notNull(),
    name: text('name').notNull(),
    value: jsonb('value').$type<Record<string, unknown>>().notNull().default({}),
    setBy: text('set_by').notNull(),
    host: text('host').notNull(),
    updatedAt: timestamp('updated_at', tz).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'fleet_flags_pk', columns: [t.tenantId, t.name] }),
    check('fleet_flags_value_object', sql`jsonb_typeof(${t.value}) = 'object'`),
  ],
);

/**
 * The attention inbox (docs/attention.md): one row per raised fact, from first seen until it
 * clears; cleared rows stay as history. At most one open row per key and host.
 */
export const attentionItems = pgTable(
  'attention_items',
  {
    tenantId: text('tenant_id').notNull(),
    id: text('id').notNull(),
    host: text('host').notNull(),
    key: text('key').notNull(),
    reason: text('reason').notNull(),
    agent: text('agent'),
    card: text('card'),
    title: text('title').notNull(),
    evidence: text('evidence').notNull().default(''),
    link: text('link').notNull(),
    actions: jsonb('actions').$type<{ list: string[] }>().notNull().default({ list: [] }),
    resetAt: timestamp('reset_at', tz),
    since: timestamp('since', tz).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', tz).notNull().defaultNow(),
    ackedAt: timestamp('acked_at', tz),
    ackedBy: text('acked_by'),
    clearedAt: timestamp('cleared_at', tz),
  },
  (t) => [
    primaryKey({ name: 'attention_items_pk', columns: [t.tenantId, t.id] }),
    uniqueIndex('attention_items_open_key_idx')
      .on(t.tenantId, t.host, t.key)
      .where(sql`${t.clearedAt} is null`),
    index('attention_items_since_idx').on(t.tenantId, t.since),
    index('attention_items_agent_idx').on(t.tenantId, t.agent, t.since),
    check('attention_items_actions_object', sql`jsonb_typeof(${t.actions}) = 'object'`),
  ],
);

const AGENT_EVENT_KINDS = ['started', 'takeover', 'released'] as const;
export type AgentEventKind = (typeof AGENT_EVENT_KINDS)[number];

/**
 * What happened to an agent that no other table keeps: each start under a new spawn epoch (with
 * why: a first start, a crash restart, an operator's restart, a fresh conversation, an update's
 * relaunch) and each takeover and its release. Written by the one home of each operation
 * (lib/launch/agent.ts, lib/ops/takeover.ts), read by its timeline (lib/ops/timeline.ts); rows
 * older than the history's retention are pruned by fleetd.
 */
export const agentEvents = pgTable(
  'agent_events',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    tenantId: text('tenant_id').notNull(),
    /** the host the agent runs on */
    host: text('host').notNull(),
    agent: text('agent').notNull(),
    kind: text('kind', { enum: AGENT_EVENT_KINDS }).notNull(),
    /** the spawn epoch a start began (null for a takeover or release) */
    epoch: integer('epoch'),
    /** a start's reason: start, crash, operator, fresh, update */
    reason: text('reason'),
    actor: text('actor').notNull(),
    detail: jsonb('detail').$type<Record<string, unknown>>().notNull().default({}),
    at: timestamp('at', tz).notNull().defaultNow(),
  },
  (t) => [
    index('agent_events_agent_idx').on(t.tenantId, t.host, t.agent, t.at),
    index('agent_events_at_idx').on(t.tenantId, t.at),
    check('agent_events_kind_check', sql`${t.kind} in (${inList(AGENT_EVENT_KINDS)})`),
    check('agent_events_detail_object', sql`jsonb_typeof(${t.detail}) = 'object'`),
  ],
);

/**
 * Notifications waiting for (or done with) a chat connector: kept until delivered, so an
 * outage loses nothing (docs/attention.md "Notifications").
 */
export const notifications = pgTable(
  'notifications',
  {
    tenantId: text('tenant_id').notNull(),
    id: text('id').notNull(),
    host: text('host').notNull(),
    /** the attention item it tells of, or null for a test or a chat answer */
    itemId: text('item_id'),
    /** `<kind>:<target>` of the connector it is for */
    connector: text('connector').notNull(),
    text: text('text').notNull(),
    link: text('link'),
    threadId: text('thread_id'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', tz).notNull().defaultNow(),
    deliveredAt: timestamp('delivered_at', tz),
    messageId: text('message_id'),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', tz).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'notifications_pk', columns: [t.tenantId, t.id] }),
    uniqueIndex('notifications_item_idx')
      .on(t.tenantId, t.itemId, t.connector)
      .where(sql`${t.itemId} is not null`),
    index('notifications_due_idx').on(t.tenantId, t.host, t.deliveredAt, t.nextAttemptAt),
  ],
);

export type CardRow = typeof cards.$inferSelect;
export type CardEventRow = typeof cardEvents.$inferSelect;
export type AgentRow = typeof agents.$inferSelect;
export type FlagRow = typeof fleetFlags.$inferSelect;
export type AttentionRow = typeof attentionItems.$inferSelect;
export type NotificationRow = typeof notifications.$inferSelect;
export type AgentEventRow = typeof agentEvents.$inferSelect;
