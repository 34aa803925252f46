/**
 * The enhancer's digest: what happened in the fleet since the last one, from facts fleetd
 * already has (card events, the ps rows, the recovery halt). Pure and deterministic: the same
 * facts give the same text, every list sorted. Null when nothing worth a look happened, so a
 * quiet fleet does not wake the enhancer.
 */
import type { PsRow } from '../fleet/ps.js';
import type { CardEventView, CardView } from '../store/contract.js';

export interface DigestInput {
  /** when the period began and ended (ISO) */
  since: string;
  until: string;
  /** card events after the last digest's sequence number */
  events: readonly CardEventView[];
  rows: readonly PsRow[];
  /** each agent's restart count at the last digest */
  restartsBefore: ReadonlyMap<string, number>;
  /** since when (ISO) each agent has been waiting for a human, as fleetd saw it */
  waitingSince?: ReadonlyMap<string, string>;
  /** the supervisor's recovery halt, if any */
  halted: string | null;
  /** cards escalated to the orchestrator in the period */
  escalated: readonly string[];
  /** cards claimed now, to find the slow ones */
  claimed: readonly Pick<CardView, 'id' | 'claim_owner' | 'claimed_at'>[];
}

/** A card held longer than this is slow enough to mention. */
export const SLOW_CARD_MS = 30 * 60_000;

function slowLines(i: DigestInput): string[] {
  const until = Date.parse(i.until);
  return [...i.claimed]
    .filter((c) => c.claimed_at && until - Date.parse(c.claimed_at) > SLOW_CARD_MS)
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((c) => {
      const minutes = Math.floor((until - Date.parse(c.claimed_at!)) / 60_000);
      const who = (c.claim_owner ?? '?').split('@')[0];
      return `- card ${c.id} held by ${who} for ${minutes} min`;
    });
}

const firstLine = (v: unknown): string =>
  typeof v === 'string' ? (v.split('\n')[0] ?? '').slice(0, 200) : '';

const reasonOf = (e: CardEventView): string => firstLine(e.detail.reason ?? e.detail.error);

function cardLines(events: readonly CardEventView[]): string[] {
  const out: string[] = [];
  const by = (kind: string) =>
    events
      .filter((e) => e.kind === kind)
      .sort((a, b) => a.card_id.localeCompare(b.card_id) || a.seq - b.seq);
  for (const e of by('failed')) {
    const reason = reasonOf(e);
    const label = reason.startsWith('acceptance check failed') ? 'check failed' : 'failed';
    out.push(`- card ${e.card_id} ${label}: ${reason || 'no reason given'}`);
  }
  for (const e of by('blocked')) out.push(`- card ${e.card_id} blocked: ${reasonOf(e) || '?'}`);
  for (const e of by('reclaimed'))
    out.push(
      `- card ${e.card_id} taken back from ${e.actor === 'supervisor' ? 'a gone agent' : e.actor}`,
    );
  return out;
}

function agentLines(i: DigestInput): string[] {
  const out: string[] = [];
  for (const r of [...i.rows].sort((a, b) => a.name.localeCompare(b.name))) {
    if (!r.managed) continue;
    const more = r.restarts - (i.restartsBefore.get(r.name) ?? 0);
    if (more > 0) out.push(`- ${r.name} restarted ${more} time(s) (${r.restarts} in all)`);
    if (r.failed) out.push(`- ${r.name} failed: ${firstLine(r.failed)}`);
    if (r.readiness === 'waiting') {
      const since = i.waitingSince?.get(r.name);
      const minutes = since ? Math.floor((Date.parse(i.until) - Date.parse(since)) / 60_000) : null;
      out.push(
        `- ${r.name} is waiting for a human${minutes !== null ? ` (for ${minutes} min)` : ''}`,
      );
    }
    if (r.takeover) out.push(`- ${r.name} is taken over by ${r.takeover}`);
    if (r.session !== 'alive' && r.enabled !== false) out.push(`- ${r.name} is ${r.session}`);
  }
  if (i.halted) out.push(`- ${firstLine(i.halted)}`);
  return out;
}

export function composeDigest(i: DigestInput): string | null {
  const agents = agentLines(i);
  const cards = [...cardLines(i.events), ...slowLines(i)];
  const escalated = [...i.escalated]
    .sort()
    .map((id) => `- card ${id} escalated to the orchestrator`);
  if (!agents.length && !cards.length && !escalated.length) return null;
  const done = new Set(i.events.filter((e) => e.kind === 'completed').map((e) => e.card_id)).size;
  return [
    `[fleet digest] ${i.since} → ${i.until}: ${done} card(s) done.`,
    ...(agents.length ? ['Agents:', ...agents] : []),
    ...(cards.length || escalated.length ? ['Cards:', ...cards, ...escalated] : []),
    'Diagnose what repeats and file improvement cards (fleet backlog create …); do not fix, code or review yourself.',
  ].join('\n');
}
