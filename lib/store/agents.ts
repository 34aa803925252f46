/**
 * Agent registry and heartbeats, one row per (tenant, host, name), so any host's panel can show
 * the whole fleet. The spawn epoch fences reports: a heartbeat from an older incarnation is
 * answered `accepted: false` and changes nothing.
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import { AgentNotFound } from '../errors.js';
import type { Db } from './db.js';
import type {
  AgentView,
  HeartbeatInput,
  HeartbeatResult,
  ListAgentsInput,
  RegisterAgentInput,
  SpawnAgentInput,
} from './registry-contract.js';
import { agents, type AgentRow } from './schema.js';

const now = sql`now()`;
const iso = (d: Date | null) => (d ? d.toISOString() : null);

function agentView(r: AgentRow): AgentView {
  return {
    tenant_id: r.tenantId,
    host: r.host,
    name: r.name,
    runtime: r.runtime,
    class: r.class,
    state: r.state,
    spawn_epoch: r.spawnEpoch,
    pid: r.pid,
    last_heartbeat_at: iso(r.lastHeartbeatAt),
    status: r.status,
    created_at: r.createdAt.toISOString(),
    updated_at: r.updatedAt.toISOString(),
  };
}

export class AgentRegistry {
  constructor(
    private readonly db: Db,
    private readonly tenantId: string,
    private readonly host: string,
  ) {}

  private key(name: string, host?: string) {
    return and(
      eq(agents.tenantId, this.tenantId),
      eq(agents.host, host ?? this.host),
      eq(agents.name, name),
    );
  }

  /** Create or update an agent's description; its epoch and heartbeat are left alone. */
  async register(input: RegisterAgentInput): Promise<AgentView> {
    const fields = {
      runtime: input.runtime,
      class: input.class,
      ...(input.state !== undefined ? { state: input.state } : {}),
      ...(input.pid !== undefined ? { pid: input.pid } : {}),
      ...(input.status !== undefined ? { status: input.status } : {}),
    };
    const [row] = await this.db
      .insert(agents)
      .values({
        tenantId: this.tenantId,
        host: input.host ?? this.host,
        name: input.name,
        ...fields,
      })
      .onConflictDoUpdate({
        target: [agents.tenantId, agents.host, agents.name],
        set: { ...fields, updatedAt: now },
      })
      .returning();
    return agentView(row!);
  }

  /** Record a new incarnation and return it with its epoch. */
  async spawn(input: SpawnAgentInput): Promise<AgentView> {
    const set = {
      spawnEpoch: sql`${agents.spawnEpoch} + 1`,
      state: 'starting',
      pid: input.pid ?? null,
      lastHeartbeatAt: null,
      ...(input.runtime ? { runtime: input.runtime } : {}),
      ...(input.class ? { class: input.class } : {}),
      updatedAt: now,
    };
    const [row] = await this.db
      .update(agents)
      .set(set)
      .where(this.key(input.name, input.host))
      .returning();
    if (!row) throw new AgentNotFound(input.name);
    return agentView(row);
  }

  async heartbeat(input: HeartbeatInput): Promise<HeartbeatResult> {
    const [row] = await this.db
      .update(agents)
      .set({
        lastHeartbeatAt: now,
        updatedAt: now,
        ...(input.state !== undefined ? { state: input.state } : {}),
        ...(input.pid !== undefined ? { pid: input.pid } : {}),
        ...(input.status !== undefined ? { status: input.status } : {}),
      })
      .where(and(this.key(input.name, input.host), eq(agents.spawnEpoch, input.spawn_epoch)))
      .returning();
    if (row) return { accepted: true, agent: agentView(row) };
    const [current] = await this.db
      .select()
      .from(agents)
      .where(this.key(input.name, input.host))
      .limit(1);
    if (!current) throw new AgentNotFound(input.name);
    return {
      accepted: false,
      reason: `spawn epoch ${input.spawn_epoch} is not the current ${current.spawnEpoch}`,
      agent: agentView(current),
    };
  }

  async list(input: ListAgentsInput = {}): Promise<AgentView[]> {
    const rows = await this.db
      .select()
      .from(agents)
      .where(
        and(
          eq(agents.tenantId, this.tenantId),
          input.host ? eq(agents.host, input.host) : undefined,
        ),
      )
      .orderBy(asc(agents.host), asc(agents.name));
    return rows.map(agentView);
  }
}
