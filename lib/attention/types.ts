/**
 * The attention inbox's shapes (docs/attention.md): what fleetd raises when an agent, a card or
 * the fleet needs its operator, and what an operator can do about it. Type-only and constants,
 * so the browser bundle can import them.
 */
import type { Identity } from '../store/contract.js';

/** Why an item is in the inbox; the roster's `connector.notify` names these. */
export const ATTENTION_REASONS = [
  /** a runtime asks to run a tool or command (permission or approval prompt) */
  'permission',
  /** a runtime asks a human something else (a question, a choice) */
  'question',
  /** usage limit or quota reached; `reset_at` when the runtime shows it */
  'rate_limited',
  /** the runtime is not logged in (a login screen) or its key was refused */
  'auth_failed',
  /** crash-looping: the restart policy gave up */
  'failed',
  /** the supervisor halted recovery after repeated auth-like failures */
  'recovery_halted',
  /** a card blocked after its last attempt (and escalated to the orchestrator) */
  'card_blocked',
  /** a card's acceptance check failed */
  'check_failed',
  /** a repository card waits for the operator's review (the fleet has no reviewer agent) */
  'review',
  /** the merge gate cannot land an approved card (docs/review.md): the repository needs a hand */
  'merge_held',
  /** an operator has held a takeover longer than the threshold */
  'takeover_held',
  /** the fleet is paused */
  'paused',
  /** roster.yaml does not load */
  'roster_invalid',
  /** NORTH_STAR.yaml does not plan */
  'northstar_invalid',
] as const;
export type AttentionReason = (typeof ATTENTION_REASONS)[number];

/** The one-tap answers; each acts through an existing verified operation (lib/ops/inbox.ts). */
export const ATTENTION_ACTIONS = [
  /** press the runtime's own "yes" key on its permission prompt, verified */
  'approve',
  /** press the runtime's own "no" key, verified */
  'deny',
  /** a verified send of the operator's text to the agent */
  'reply',
  /** tell a rate-limited agent to go on (its runtime's resume text, verified) */
  'resume_agent',
  /** restart the agent under a new epoch (clears a failed state) */
  'restart_agent',
  /** end a held takeover */
  'release_takeover',
  /** give a blocked card another attempt */
  'retry_card',
  /** resume the fleet (lifts PAUSE and a recovery halt) */
  'resume_fleet',
] as const;
export type AttentionAction = (typeof ATTENTION_ACTIONS)[number];

/** One raised fact, before the store gives it an id and a `since` (lib/attention/rules.ts). */
export interface AttentionFact {
  /** stable while the fact holds: `<reason>:<agent|card|fleet>` */
  key: string;
  reason: AttentionReason;
  agent: string | null;
  card: string | null;
  /** one line, for the inbox row and a chat notification */
  title: string;
  /** the screen lines or the event that raised it (plain text, control characters escaped) */
  evidence: string;
  /** a path into the panel: `/agents/<name>`, `/backlog?card=<id>`, `/roster`, `/` */
  link: string;
  actions: AttentionAction[];
  /** when a rate limit resets (ISO), when the runtime shows it */
  reset_at: string | null;
}

/** An item as stored and shown: the fact plus its lifecycle. */
export interface AttentionItem extends Identity, AttentionFact {
  id: string;
  /** when the fact was first seen */
  since: string;
  updated_at: string;
  acked_at: string | null;
  acked_by: string | null;
  /** when the fact went away; a cleared item stays for history and is never reopened */
  cleared_at: string | null;
}

export interface InboxView extends Identity {
  /** open items (not cleared), newest first; acknowledged ones included, marked */
  items: AttentionItem[];
  /** open and not acknowledged: the navigation's count */
  unacked: number;
  generated_at: string;
}

export interface ActInput {
  id: string;
  action: AttentionAction;
  /** the reply's text (action `reply`) */
  text?: string;
}

export interface ActResult {
  id: string;
  action: AttentionAction;
  /** what happened, one line (e.g. "approved: the prompt is gone") */
  message: string;
}

/** "Since you were last here" on the fleet page. */
export interface SinceDigest extends Identity {
  /** the previous visit, or null on a first visit */
  since: string | null;
  raised: number;
  cleared: number;
  cards_done: number;
  cards_blocked: number;
  restarts: number;
  /** the open items raised since then, newest first (at most 10) */
  items: AttentionItem[];
}

/** What the panel asks of the inbox (reached through lib/web/services.ts). */
export interface InboxOps {
  list(): Promise<InboxView>;
  ack(id: string, by: string): Promise<AttentionItem>;
  act(input: ActInput, by: string): Promise<ActResult>;
  /** the digest since `visitor`'s previous visit, which this call records as now */
  digest(visitor: string): Promise<SinceDigest>;
}
