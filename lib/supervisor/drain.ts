import type { PsRow } from '../fleet/ps.js';

/**
 * Drain (docs/operations.md "Drain"): PAUSE, then let every agent finish the turn it is in. No
 * card is dispatched; an agent that ends its turn still holding a card has that card put back
 * with a note of where it stood (a checkpoint), so nothing is left claimed by an agent about to
 * be stopped. The fleet is quiet when no local agent works, asks a human, is being typed to, or
 * holds a card. Pure: the supervisor gathers the facts each tick and carries out the plan.
 */

/** A card one of this host's agents holds, as the supervisor sees it. */
export interface DrainHeld {
  card: string;
  title: string;
  agent: string;
  /** when the claim was taken (ISO), to let a card just typed reach the agent's screen */
  claimedAt: string | null;
}

export interface DrainAgentState {
  agent: string;
  /** why the fleet is not quiet because of this agent */
  state: 'working' | 'waiting' | 'delivering' | 'holding';
  card: string | null;
  /** since when (ISO) the agent has been in this state, as far as the drain saw */
  since: string;
}

export interface DrainView {
  /** PAUSE pulled as a drain */
  draining: boolean;
  since: string | null;
  by: string | null;
  /** nothing is left working on this host */
  quiet: boolean;
  /** when the supervisor last looked */
  checked_at: string | null;
  /** what keeps the fleet from being quiet */
  working: DrainAgentState[];
  /** cards put back since the drain began, each with its note */
  checkpointed: { card: string; agent: string; note: string; at: string }[];
}

export interface DrainFacts {
  rows: ReadonlyMap<string, PsRow>;
  /** this host's enabled roster agents */
  agents: readonly string[];
  held: readonly DrainHeld[];
  delivering: ReadonlySet<string>;
  /** agents seen at their prompt at the previous look too (an idle that lasted) */
  idleBefore: ReadonlySet<string>;
  nowMs: number;
  /** how long a claim must be old before its idle agent is taken to have ended its turn */
  settleMs: number;
}

export interface DrainStep {
  /** cards to put back now, with the note that says where they stood */
  checkpoint: { card: string; agent: string; note: string }[];
  working: Omit<DrainAgentState, 'since'>[];
  /** agents idle at this look: the next look's `idleBefore` */
  idleNow: Set<string>;
  quiet: boolean;
}

const idle = (r: PsRow | undefined) => r?.readiness === 'available';
const gone = (r: PsRow | undefined) =>
  !r || r.session !== 'alive' || r.readiness === 'dead' || r.readiness === 'stale';

export function drainStep(f: DrainFacts): DrainStep {
  const idleNow = new Set(f.agents.filter((a) => idle(f.rows.get(a))));
  const byAgent = new Map<string, DrainHeld[]>();
  for (const h of f.held) byAgent.set(h.agent, [...(byAgent.get(h.agent) ?? []), h]);
  const checkpoint: DrainStep['checkpoint'] = [];
  const working: DrainStep['working'] = [];
  const names = [...new Set([...f.agents, ...byAgent.keys()])];
  for (const agent of names) {
    const row = f.rows.get(agent);
    const cards = byAgent.get(agent) ?? [];
    const card = cards[0]?.card ?? null;
    if (f.delivering.has(agent)) {
      working.push({ agent, state: 'delivering', card });
      continue;
    }
    if (row?.readiness === 'working') {
      working.push({ agent, state: 'working', card });
      continue;
    }
    // idle, gone, a runtime whose state cannot be read, or one at a login screen, holding
    // nothing: no turn to wait for
    if (!cards.length) continue;
    // a question in the middle of a card: the turn ends when a human answers
    if (row?.readiness === 'waiting') {
      working.push({ agent, state: 'waiting', card });
      continue;
    }
    // a dead agent's card is taken back by the lease rules already (server/supervisor/work.ts)
    if (gone(row)) {
      working.push({ agent, state: 'holding', card });
      continue;
    }
    const settled = cards.every(
      (h) => h.claimedAt === null || f.nowMs - Date.parse(h.claimedAt) >= f.settleMs,
    );
    if (idle(row) && f.idleBefore.has(agent) && settled) {
      for (const h of cards)
        checkpoint.push({
          card: h.card,
          agent,
          note: `drain: ${agent} ended its turn without finishing "${h.title}"; put back to ready for whoever takes it next (its conversation has the work so far)`,
        });
      continue;
    }
    working.push({ agent, state: 'holding', card });
  }
  return { checkpoint, working, idleNow, quiet: working.length === 0 };
}
