/**
 * The attention inbox's rules (docs/attention.md): which gathered facts need the operator, as a
 * pure function. fleetd's supervisor gathers the facts each tick (ps rows, what waiting screens
 * show, PAUSE, the backlog, takeovers, the roster and NORTH_STAR problems); the store turns the
 * result into items that are raised, kept and cleared (lib/store/attention.ts).
 */
import { escapeControls } from '../control-chars.js';
import type { PsRow } from '../fleet/ps.js';
import type { CardView } from '../store/contract.js';
import type { PauseView } from '../store/registry-contract.js';
import type { AttentionAction, AttentionFact, AttentionReason } from './types.js';

/** What a screen shows that needs a human (lib/attention/screen.ts reads it). */
export interface ScreenNeed {
  reason: 'permission' | 'question' | 'rate_limited' | 'auth_failed';
  evidence: string;
  /** epoch ms */
  resetAt: number | null;
}

export interface TakeoverFact {
  who: string;
  since: string;
}

export interface AttentionInput {
  rows: readonly PsRow[];
  /** per agent, what its screen shows (only agents the supervisor looked at) */
  screens: ReadonlyMap<string, ScreenNeed>;
  pause: PauseView;
  /** cards not done (blocked, carrying a last error, or in review) */
  cards: readonly CardView[];
  /** the fleet has an agent of class reviewer: reviews are its, not the operator's */
  reviewerInFleet?: boolean;
  /** blocked cards already told to the orchestrator */
  escalated: ReadonlySet<string>;
  takeovers: ReadonlyMap<string, TakeoverFact>;
  rosterError: string | null;
  northstarError: string | null;
  nowMs: number;
  /** a takeover held longer than this is raised */
  takeoverHeldSeconds: number;
}

/** Default for `takeoverHeldSeconds`: a human who forgot a takeover blocks every automated send. */
export const TAKEOVER_HELD_SECONDS = 15 * 60;

const MAX_EVIDENCE = 1500;
const MAX_TITLE = 200;

const clip = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const plain = (s: string, n: number): string => clip(escapeControls(s, '\n'), n);
const line = (s: string): string => clip(escapeControls(s.replace(/\s+/g, ' ').trim()), MAX_TITLE);

export const agentLink = (name: string): string => `/agents/${encodeURIComponent(name)}`;
export const cardLink = (id: string): string => `/backlog?card=${encodeURIComponent(id)}`;

function fact(
  reason: AttentionReason,
  subject: string,
  f: Omit<AttentionFact, 'key' | 'reason' | 'reset_at'> & { reset_at?: string | null },
): AttentionFact {
  return {
    key: `${reason}:${subject}`,
    reason,
    ...f,
    title: line(f.title),
    evidence: plain(f.evidence, MAX_EVIDENCE),
    reset_at: f.reset_at ?? null,
  };
}

const SCREEN_ACTIONS: Record<ScreenNeed['reason'], AttentionAction[]> = {
  permission: ['approve', 'deny', 'reply'],
  question: ['reply'],
  rate_limited: ['resume_agent', 'reply'],
  auth_failed: ['restart_agent', 'reply'],
};

function screenTitle(name: string, s: ScreenNeed): string {
  switch (s.reason) {
    case 'permission':
      return `${name} asks for permission`;
    case 'question':
      return `${name} is waiting for a human`;
    case 'rate_limited':
      return s.resetAt
        ? `${name} hit a usage limit until ${new Date(s.resetAt).toISOString()}`
        : `${name} hit a usage limit`;
    case 'auth_failed':
      return `${name} cannot authenticate`;
  }
}

function agentFacts(row: PsRow, i: AttentionInput): AttentionFact[] {
  const out: AttentionFact[] = [];
  const name = row.name;
  const link = agentLink(name);
  if (row.failed) {
    out.push(
      fact('failed', name, {
        agent: name,
        card: null,
        title: `${name} stopped restarting`,
        evidence: row.failed,
        link,
        actions: ['restart_agent'],
      }),
    );
  } else {
    const s = i.screens.get(name);
    if (s) {
      out.push(
        fact(s.reason, name, {
          agent: name,
          card: null,
          title: screenTitle(name, s),
          evidence: s.evidence,
          link,
          actions: SCREEN_ACTIONS[s.reason],
          reset_at: s.resetAt ? new Date(s.resetAt).toISOString() : null,
        }),
      );
    }
  }
  const t = i.takeovers.get(name);
  if (t) {
    const held = (i.nowMs - Date.parse(t.since)) / 1000;
    if (held >= i.takeoverHeldSeconds) {
      out.push(
        fact('takeover_held', name, {
          agent: name,
          card: null,
          title: `${t.who} has held ${name} for ${Math.floor(held / 60)} min`,
          evidence: `takeover by ${t.who} since ${t.since}; automated sends to ${name} queue until it ends`,
          link,
          actions: ['release_takeover'],
        }),
      );
    }
  }
  return out;
}

const CHECK_FAILED = /^acceptance check failed/;

function reviewFacts(c: CardView, reviewerInFleet: boolean): AttentionFact[] {
  const r = c.review;
  if (c.status !== 'review' || !r) return [];
  const link = cardLink(c.id);
  if (r.gate_error)
    return [
      fact('merge_held', c.id, {
        agent: null,
        card: c.id,
        title: `card ${c.id} approved but not merged: ${c.title}`,
        evidence: r.gate_error,
        link,
        actions: [],
      }),
    ];
  if (r.state !== 'pending' || reviewerInFleet) return [];
  return [
    fact('review', c.id, {
      agent: null,
      card: c.id,
      title: `card ${c.id} by ${r.author} waits for your review (round ${r.round}): ${c.title}`,
      evidence: `approve or request changes in the panel, or: fleet review show ${c.id} --diff`,
      link,
      actions: [],
    }),
  ];
}

function cardFacts(
  c: CardView,
  escalated: ReadonlySet<string>,
  reviewerInFleet: boolean,
): AttentionFact[] {
  if (c.status === 'review') return reviewFacts(c, reviewerInFleet);
  const link = cardLink(c.id);
  if (c.status === 'blocked' && c.attempts >= c.max_attempts) {
    const why = c.last_error ?? c.blocked_reason ?? 'no reason recorded';
    return [
      fact('card_blocked', c.id, {
        agent: null,
        card: c.id,
        title: `card ${c.id} blocked after ${c.attempts} attempts: ${c.title}${escalated.has(c.id) ? ' (escalated to the orchestrator)' : ''}`,
        evidence: why,
        link,
        actions: ['retry_card'],
      }),
    ];
  }
  if (
    (c.status === 'ready' || c.status === 'claimed') &&
    c.last_error &&
    CHECK_FAILED.test(c.last_error)
  ) {
    return [
      fact('check_failed', c.id, {
        agent: null,
        card: c.id,
        title: `card ${c.id}: acceptance check failed (attempt ${c.attempts} of ${c.max_attempts}): ${c.title}`,
        evidence: c.last_error,
        link,
        actions: [],
      }),
    ];
  }
  return [];
}

/** Everything that needs the operator now, in a stable order (fleet, agents, cards). */
export function deriveAttention(i: AttentionInput): AttentionFact[] {
  const out: AttentionFact[] = [];
  if (i.rosterError) {
    out.push(
      fact('roster_invalid', 'fleet', {
        agent: null,
        card: null,
        title: 'roster.yaml does not load: the supervisor starts and dispatches nothing',
        evidence: i.rosterError,
        link: '/roster',
        actions: [],
      }),
    );
  }
  if (i.northstarError) {
    out.push(
      fact('northstar_invalid', 'fleet', {
        agent: null,
        card: null,
        title: 'NORTH_STAR.yaml is not planned',
        evidence: i.northstarError,
        link: '/',
        actions: [],
      }),
    );
  }
  if (i.pause.halted) {
    out.push(
      fact('recovery_halted', 'fleet', {
        agent: null,
        card: null,
        title: 'recovery halted: agents are not restarted',
        evidence: i.pause.halted,
        link: '/',
        actions: ['resume_fleet'],
      }),
    );
  }
  if (i.pause.paused) {
    out.push(
      fact('paused', 'fleet', {
        agent: null,
        card: null,
        title: `the fleet is paused${i.pause.by ? ` by ${i.pause.by}` : ''}${i.pause.reason ? `: ${i.pause.reason}` : ''}`,
        evidence: `paused since ${i.pause.since ?? 'unknown'}${i.pause.reason ? `\nreason: ${i.pause.reason}` : ''}`,
        link: '/',
        actions: ['resume_fleet'],
      }),
    );
  }
  for (const row of i.rows) if (row.managed) out.push(...agentFacts(row, i));
  for (const c of i.cards) out.push(...cardFacts(c, i.escalated, i.reviewerInFleet ?? false));
  return out;
}
