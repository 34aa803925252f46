/**
 * The register (docs/architecture.md "The register"): each fleetd writes its host row every tick
 * and its agents' `fleet ps` rows when they change, tagged tenant and host, so every host sees
 * every host. A row is rewritten when anything but its ages changed, and at least once a minute;
 * a reader adds the time since it was written to the ages it holds.
 */
import { and, asc, eq, notInArray, sql } from 'drizzle-orm';
import { psStableKey as stable, type PsRow } from '../fleet/ps.js';
import type { Db } from './db.js';
import { agents, hosts } from './schema.js';

/** Written at least this often even when nothing changed, so its ages stay close. */
const REFRESH_MS = 60_000;

export interface HostBeat {
  pid: number;
  version: string;
  tick_ms: number;
  started_at: Date;
}

export interface RegisteredAgent {
  row: PsRow;
  class: string;
}

export interface HostRecord {
  host: string;
  /** where this host's panel is, when it serves one */
  panel_url: string | null;
  pid: number;
  version: string;
  tick_ms: number;
  started_at: string;
  last_seen_at: string;
}

export interface AgentRecord {
  host: string;
  name: string;
  class: string;
  row: PsRow;
  /** when the row was written: its ages were true then */
  written_at: string;
}

export class RegisterStore {
  private readonly written = new Map<string, { key: string; at: number }>();
  /** the names last published: rows of agents gone from here are removed when it changes */
  private names: string | null = null;
  /** this host's panel, written with each beat (set by the composition root once it listens) */
  panelUrl: () => string | null = () => null;

  constructor(
    private readonly db: Db,
    private readonly tenantId: string,
    private readonly host: string,
  ) {}

  /** This host is alive: its row's last_seen_at is now. */
  async beat(b: HostBeat): Promise<void> {
    await this.db
      .insert(hosts)
      .values({
        tenantId: this.tenantId,
        host: this.host,
        pid: b.pid,
        version: b.version,
        tickMs: b.tick_ms,
        startedAt: b.started_at,
        panelUrl: this.panelUrl(),
      })
      .onConflictDoUpdate({
        target: [hosts.tenantId, hosts.host],
        set: {
          pid: b.pid,
          version: b.version,
          tickMs: b.tick_ms,
          startedAt: b.started_at,
          panelUrl: this.panelUrl(),
          lastSeenAt: sql`now()`,
        },
      });
  }

  /**
   * This host's agents as `fleet ps` sees them now: changed rows written, agents no longer here
   * removed. Returns how many rows were written.
   */
  async publish(list: readonly RegisteredAgent[], nowMs = Date.now()): Promise<number> {
    let n = 0;
    for (const a of list) {
      const key = stable(a.row);
      const seen = this.written.get(a.row.name);
      if (seen && seen.key === key && nowMs - seen.at < REFRESH_MS) continue;
      const fields = {
        runtime: a.row.runtime ?? 'unknown',
        class: a.class,
        state: a.row.readiness,
        spawnEpoch: a.row.epoch ?? 0,
        pid: a.row.pane_pid,
        status: { ps: a.row },
        updatedAt: sql`now()`,
      };
      await this.db
        .insert(agents)
        .values({ tenantId: this.tenantId, host: this.host, name: a.row.name, ...fields })
        .onConflictDoUpdate({ target: [agents.tenantId, agents.host, agents.name], set: fields });
      this.written.set(a.row.name, { key, at: nowMs });
      n++;
    }
    const names = list.map((a) => a.row.name);
    const key = JSON.stringify([...names].sort());
    if (key === this.names) return n;
    this.names = key;
    const gone = await this.db
      .delete(agents)
      .where(
        and(
          eq(agents.tenantId, this.tenantId),
          eq(agents.host, this.host),
          names.length ? notInArray(agents.name, names) : undefined,
        ),
      )
      .returning({ name: agents.name });
    for (const g of gone) this.written.delete(g.name);
    return n;
  }

  /** Every host of the tenant and every agent it registered, with the store's clock. */
  async all(): Promise<{ now: string; hosts: HostRecord[]; agents: AgentRecord[] }> {
    const [clock] = await this.db
      .execute<{ now: Date | string }>(sql`select now() as now`)
      .then((r) => r.rows);
    const hs = await this.db
      .select()
      .from(hosts)
      .where(eq(hosts.tenantId, this.tenantId))
      .orderBy(asc(hosts.host));
    const as = await this.db
      .select()
      .from(agents)
      .where(eq(agents.tenantId, this.tenantId))
      .orderBy(asc(agents.host), asc(agents.name));
    return {
      now: new Date(clock!.now).toISOString(),
      hosts: hs.map((h) => ({
        host: h.host,
        panel_url: h.panelUrl,
        pid: h.pid,
        version: h.version,
        tick_ms: h.tickMs,
        started_at: h.startedAt.toISOString(),
        last_seen_at: h.lastSeenAt.toISOString(),
      })),
      agents: as
        .filter((a) => typeof (a.status as { ps?: unknown }).ps === 'object')
        .map((a) => ({
          host: a.host,
          name: a.name,
          class: a.class,
          row: (a.status as { ps: PsRow }).ps,
          written_at: a.updatedAt.toISOString(),
        })),
    };
  }
}
