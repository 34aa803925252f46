/**
 * When the roster changes (an agent added, removed, renamed, moved), each running agent gets one
 * short, verified, when-idle note of what changed among its peers — no restart. Notes wait for
 * an agent that is busy or taken over, and several changes meanwhile make one note.
 */
import { tellAgent } from './tell.js';
import type { FleetDeps } from '@/lib/fleet/deps.js';
import type { PsRow } from '@/lib/fleet/ps.js';
import { isLocal, rosterAgents } from '@/lib/ops/lifecycle.js';
import { peerChanges, peerNote, type Peer } from '@/lib/supervisor/peers.js';

export class PeerNotes {
  private last: Peer[] | null = null;
  /** changes not yet told, per agent */
  private readonly pending = new Map<string, string[]>();

  /** Returns the agents told this tick. */
  async tick(
    deps: FleetDeps,
    rows: ReadonlyMap<string, PsRow>,
    delivering: ReadonlyMap<string, unknown>,
  ): Promise<string[]> {
    const agents = rosterAgents(deps);
    const peers: Peer[] = agents.map((a) => ({
      name: a.name,
      alias: a.alias ?? null,
      class: a.class,
      role: a.role ?? null,
      host: a.host,
      enabled: a.enabled,
    }));
    // the first look is the baseline: agents start knowing the fleet from their contract
    const changes = this.last ? peerChanges(this.last, peers) : [];
    this.last = peers;
    if (changes.length) {
      for (const a of agents)
        this.pending.set(a.name, [...(this.pending.get(a.name) ?? []), ...changes]);
    }
    const told: string[] = [];
    for (const a of agents) {
      const queued = this.pending.get(a.name);
      if (!queued) continue;
      const note = peerNote(a.name, queued);
      if (!note) {
        this.pending.delete(a.name);
        continue;
      }
      const row = rows.get(a.name);
      if (!isLocal(deps, a) || !a.enabled || delivering.has(a.name)) continue;
      if (row?.readiness !== 'available' || row.takeover) continue;
      const r = await tellAgent(deps, a, note);
      if (r.verdict === 'submitted') {
        this.pending.delete(a.name);
        told.push(a.name);
      }
    }
    // an agent that left the fleet is told nothing more
    for (const name of [...this.pending.keys()])
      if (!agents.some((a) => a.name === name)) this.pending.delete(name);
    return told;
  }
}
