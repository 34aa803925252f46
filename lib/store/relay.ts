/**
 * The relay's rows (docs/architecture.md "The relay"): commands for agents on another host, kept
 * in the store until the owning fleetd has carried them out. A command is taken by one fleetd
 * (`FOR UPDATE SKIP LOCKED`), done once, and its result written beside it; the caller's
 * idempotency key is the row's id, so a retried submission is the same command.
 */
import { and, asc, eq, inArray, lt, ne, sql } from 'drizzle-orm';
import type { Db, StoreKind } from './db.js';
import { relayCommands } from './schema.js';

/** NOTIFY channel: `<tenant>\t<host>` when a command for that host is waiting. */
export const RELAY_CHANNEL = 'mosaic_fleet_relay';
/** NOTIFY channel: `<tenant>\t<id>` when a command is done. */
export const RELAY_DONE_CHANNEL = 'mosaic_fleet_relay_done';

export type RelayKind = 'send' | 'restart' | 'terminate';
export type RelayState = 'pending' | 'taken' | 'done';

export interface RelayCommand {
  id: string;
  from_host: string;
  to_host: string;
  agent: string;
  kind: RelayKind;
  payload: Record<string, unknown>;
  state: RelayState;
  result: Record<string, unknown> | null;
  created_at: string;
  done_at: string | null;
}

type Row = typeof relayCommands.$inferSelect;

const view = (r: Row): RelayCommand => ({
  id: r.id,
  from_host: r.fromHost,
  to_host: r.toHost,
  agent: r.agent,
  kind: r.kind as RelayKind,
  payload: r.payload,
  state: r.state as RelayState,
  result: r.result ?? null,
  created_at: r.createdAt.toISOString(),
  done_at: r.doneAt?.toISOString() ?? null,
});

/** Done commands are kept this long for a caller that asks again with its key. */
const KEEP_DONE_MS = 24 * 3600_000;

export class RelayStore {
  constructor(
    private readonly db: Db,
    private readonly kind: StoreKind,
    private readonly tenantId: string,
    private readonly host: string,
    /** this fleetd: `<pid>@<started>`; a row taken by another run of this host was interrupted */
    private readonly run: string,
  ) {}

  private notify(channel: string, payload: string) {
    return this.kind === 'postgres'
      ? this.db.execute(sql`select pg_notify(${channel}, ${payload})`)
      : Promise.resolve();
  }

  /**
   * Keep a command for `to_host` and wake its fleetd. Submitting an id again changes nothing and
   * returns the row as it stands (its result, once done).
   */
  async submit(c: {
    id: string;
    to_host: string;
    agent: string;
    kind: RelayKind;
    payload: Record<string, unknown>;
  }): Promise<RelayCommand> {
    await this.db
      .insert(relayCommands)
      .values({
        tenantId: this.tenantId,
        id: c.id,
        fromHost: this.host,
        toHost: c.to_host,
        agent: c.agent,
        kind: c.kind,
        payload: c.payload,
      })
      .onConflictDoNothing();
    const row = await this.get(c.id);
    if (!row) throw new Error(`relay: command ${c.id} vanished after it was written`);
    if (row.state !== 'done') await this.notify(RELAY_CHANNEL, `${this.tenantId}\t${row.to_host}`);
    return row;
  }

  async get(id: string): Promise<RelayCommand | null> {
    const [r] = await this.db
      .select()
      .from(relayCommands)
      .where(and(eq(relayCommands.tenantId, this.tenantId), eq(relayCommands.id, id)));
    return r ? view(r) : null;
  }

  /** Take up to `limit` waiting commands for this host, oldest first; no other fleetd gets them. */
  async take(limit = 16): Promise<RelayCommand[]> {
    const rows = await this.db.execute<{ id: string }>(sql`
      update ${relayCommands} set state = 'taken', taken_by = ${this.run}, taken_at = now()
      where tenant_id = ${this.tenantId} and id in (
        select id from ${relayCommands}
        where tenant_id = ${this.tenantId} and to_host = ${this.host} and state = 'pending'
        order by created_at limit ${limit}
        for update skip locked)
      returning id`);
    const ids = rows.rows.map((r) => r.id);
    if (!ids.length) return [];
    const taken = await this.db
      .select()
      .from(relayCommands)
      .where(and(eq(relayCommands.tenantId, this.tenantId), inArray(relayCommands.id, ids)))
      .orderBy(asc(relayCommands.createdAt));
    return taken.map(view);
  }

  /** Write a command's result and wake whoever waits for it. */
  async finish(id: string, result: Record<string, unknown>): Promise<void> {
    await this.db
      .update(relayCommands)
      .set({ state: 'done', result, doneAt: sql`now()` })
      .where(and(eq(relayCommands.tenantId, this.tenantId), eq(relayCommands.id, id)));
    await this.notify(RELAY_DONE_CHANNEL, `${this.tenantId}\t${id}`);
  }

  /**
   * Commands an earlier run of this host's fleetd took and never finished: it stopped while
   * carrying them out, so whether a message was typed is unknown. Returned so the caller can
   * close them without doing them twice.
   */
  async interrupted(): Promise<RelayCommand[]> {
    const rows = await this.db
      .select()
      .from(relayCommands)
      .where(
        and(
          eq(relayCommands.tenantId, this.tenantId),
          eq(relayCommands.toHost, this.host),
          eq(relayCommands.state, 'taken'),
          ne(relayCommands.takenBy, this.run),
        ),
      );
    return rows.map(view);
  }

  /** Forget done commands older than a day. Returns how many went. */
  async prune(nowMs = Date.now()): Promise<number> {
    const gone = await this.db
      .delete(relayCommands)
      .where(
        and(
          eq(relayCommands.tenantId, this.tenantId),
          eq(relayCommands.state, 'done'),
          lt(relayCommands.doneAt, new Date(nowMs - KEEP_DONE_MS)),
        ),
      )
      .returning({ id: relayCommands.id });
    return gone.length;
  }
}
