/** Fleet flags and settings, one object per name; PAUSE is the `paused` flag (docs/architecture.md invariant 9). */
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from './db.js';
import type { FlagView, PauseState, SetFlagInput, SetPauseInput } from './registry-contract.js';
import { fleetFlags, type FlagRow } from './schema.js';

const PAUSE_FLAG = 'paused';

function flagView(r: FlagRow): FlagView {
  return {
    tenant_id: r.tenantId,
    host: r.host,
    name: r.name,
    value: r.value,
    set_by: r.setBy,
    updated_at: r.updatedAt.toISOString(),
  };
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

export class FlagStore {
  constructor(
    private readonly db: Db,
    private readonly tenantId: string,
    private readonly host: string,
  ) {}

  async get(name: string): Promise<FlagView | null> {
    const [row] = await this.db
      .select()
      .from(fleetFlags)
      .where(and(eq(fleetFlags.tenantId, this.tenantId), eq(fleetFlags.name, name)))
      .limit(1);
    return row ? flagView(row) : null;
  }

  async set(input: SetFlagInput): Promise<FlagView> {
    const fields = { value: input.value, setBy: input.by, host: this.host };
    const [row] = await this.db
      .insert(fleetFlags)
      .values({ tenantId: this.tenantId, name: input.name, ...fields })
      .onConflictDoUpdate({
        target: [fleetFlags.tenantId, fleetFlags.name],
        set: { ...fields, updatedAt: sql`now()` },
      })
      .returning();
    return flagView(row!);
  }

  async pause(): Promise<PauseState> {
    const flag = await this.get(PAUSE_FLAG);
    const v = flag?.value ?? {};
    const paused = v.paused === true;
    return {
      tenant_id: this.tenantId,
      host: flag?.host ?? this.host,
      paused,
      since: paused ? str(v.since) : null,
      by: paused ? (flag?.set_by ?? null) : null,
      reason: paused ? str(v.reason) : null,
      drain: paused && v.drain === true,
    };
  }

  /**
   * Pausing again keeps the original `since` (and a drain stays a drain); resuming clears the
   * state.
   */
  async setPause(input: SetPauseInput): Promise<PauseState> {
    const current = await this.pause();
    const since = input.paused ? (current.paused ? current.since : new Date().toISOString()) : null;
    const drain = input.paused && (input.drain ?? (current.paused && current.drain));
    await this.set({
      name: PAUSE_FLAG,
      by: input.by,
      value: {
        paused: input.paused,
        since,
        reason: input.paused ? (input.reason ?? null) : null,
        drain,
      },
    });
    return this.pause();
  }
}
