/**
 * An agent's timeline from the facts the store keeps (docs/architecture.md "Operations",
 * `agentTimeline`): the card events of the claims it held, the attention items about it, and
 * its own events (starts under a new spawn epoch, takeovers and releases). Pure: the same facts
 * and the same `now` give the same entries, in order.
 *
 * - A card span begins with a claim whose owner is the agent (`<agent>` or
 *   `<agent>@<host>#<epoch>`) and ends with the event that took the claim away: completed,
 *   submitted (to review), failed, reclaimed (lease expired, its holder restarted), released
 *   (put back by a drain or an operator), blocked or closed. A review that later sends the card
 *   back to its author is a `returned` mark.
 * - A wait is an attention item about the agent, from raised to cleared.
 * - A start is a mark with its reason; a takeover is a span from taken to released.
 *
 * A span still open ends "now" (`open: true`). Spans that end before `since` or begin after
 * `until` are left out; the rest keep their true start and end.
 */
import type { CardEventView } from '../store/contract.js';

/** Why an agent was started under a new spawn epoch. */
export const START_REASONS = ['start', 'crash', 'operator', 'fresh', 'update'] as const;
export type StartReason = (typeof START_REASONS)[number];

/** A card event as the backlog's log holds it, without the identity the timeline already has. */
export type TimelineCardEvent = Omit<CardEventView, 'tenant_id' | 'host'>;

export interface TimelineItem {
  id: string;
  reason: string;
  title: string;
  card: string | null;
  since: string;
  cleared_at: string | null;
}

export interface TimelineAgentEvent {
  seq: number;
  kind: 'started' | 'takeover' | 'released';
  epoch: number | null;
  reason: string | null;
  actor: string;
  detail: Record<string, unknown>;
  at: string;
}

export type CardOutcome =
  'completed' | 'submitted' | 'failed' | 'reclaimed' | 'released' | 'blocked' | 'closed';

interface Span {
  start: string;
  /** the span's end, or `now` while it is open */
  end: string;
  open: boolean;
  duration_s: number;
}

export interface CardEntry extends Span {
  kind: 'card';
  card: string;
  title: string | null;
  /** who held it: the claim's owner */
  owner: string;
  /** null while open */
  outcome: CardOutcome | null;
  /** who ended it (the holder, the reaper, an operator) */
  ended_by: string | null;
}

export interface WaitEntry extends Span {
  kind: 'wait';
  item: string;
  reason: string;
  title: string;
  card: string | null;
}

export interface TakeoverEntry extends Span {
  kind: 'takeover';
  who: string;
}

export interface StartEntry {
  kind: 'start';
  start: string;
  epoch: number | null;
  reason: StartReason | null;
  by: string;
}

export interface ReturnedEntry {
  kind: 'returned';
  start: string;
  card: string;
  title: string | null;
  by: string;
}

export type TimelineEntry = CardEntry | WaitEntry | TakeoverEntry | StartEntry | ReturnedEntry;

export interface TimelineFacts {
  agent: string;
  host: string;
  since: string;
  until: string;
  now: string;
  /** the events of every card the agent held a claim on, in sequence order */
  cardEvents: readonly TimelineCardEvent[];
  titles: ReadonlyMap<string, string>;
  items: readonly TimelineItem[];
  agentEvents: readonly TimelineAgentEvent[];
}

/** `<agent>` or `<agent>@<host>#<epoch>` (server/supervisor/owner.ts) for this agent and host. */
export function ownedBy(actor: string, agent: string, host: string): boolean {
  if (actor === agent) return true;
  const m = /^([^@]+)@(.+)#\d+$/.exec(actor);
  return m !== null && m[1] === agent && m[2] === host;
}

const ms = (iso: string): number => Date.parse(iso);

function span(start: string, end: string | null, now: string): Span {
  const until = end ?? now;
  return {
    start,
    end: until,
    open: end === null,
    duration_s: Math.max(0, Math.round((ms(until) - ms(start)) / 1000)),
  };
}

/** What ends an open claim on its card, or null for an event that leaves it held. */
function claimEnd(e: TimelineCardEvent, owner: string): CardOutcome | null {
  const from = e.detail.from;
  switch (e.kind) {
    case 'completed':
    case 'submitted':
    case 'failed':
      return e.actor === owner ? e.kind : null;
    case 'reclaimed':
      // a forced reclaim is a put-back (a drain, an operator); otherwise the lease ran out
      return e.detail.forced === true ? 'released' : 'reclaimed';
    case 'claimed':
      return 'reclaimed';
    case 'blocked':
      return from === 'claimed' ? 'blocked' : null;
    case 'moved':
      if (from !== 'claimed') return null;
      return e.detail.action === 'close'
        ? 'closed'
        : e.detail.action === 'block'
          ? 'blocked'
          : 'released';
    default:
      return null;
  }
}

interface OpenClaim {
  start: string;
  owner: string;
}

function cardEntries(f: TimelineFacts): (CardEntry | ReturnedEntry)[] {
  const out: (CardEntry | ReturnedEntry)[] = [];
  const open = new Map<string, OpenClaim>();
  /** cards whose last span of this agent went to review: a `returned` is about its work */
  const inReview = new Set<string>();
  const sorted = [...f.cardEvents].sort((a, b) => a.seq - b.seq);
  for (const e of sorted) {
    const title = f.titles.get(e.card_id) ?? null;
    const held = open.get(e.card_id);
    if (held) {
      const outcome = claimEnd(e, held.owner);
      if (outcome) {
        open.delete(e.card_id);
        out.push({
          kind: 'card',
          card: e.card_id,
          title,
          owner: held.owner,
          outcome,
          ended_by: e.actor,
          ...span(held.start, e.at, f.now),
        });
        if (outcome === 'submitted') inReview.add(e.card_id);
      }
    }
    if (e.kind === 'claimed' && ownedBy(e.actor, f.agent, f.host)) {
      open.set(e.card_id, { start: e.at, owner: e.actor });
      inReview.delete(e.card_id);
    } else if (e.kind === 'returned' && inReview.delete(e.card_id)) {
      out.push({ kind: 'returned', start: e.at, card: e.card_id, title, by: e.actor });
    } else if (e.kind === 'merged') {
      inReview.delete(e.card_id);
    }
  }
  for (const [card, held] of open)
    out.push({
      kind: 'card',
      card,
      title: f.titles.get(card) ?? null,
      owner: held.owner,
      outcome: null,
      ended_by: null,
      ...span(held.start, null, f.now),
    });
  return out;
}

function waitEntries(f: TimelineFacts): WaitEntry[] {
  return f.items.map((i) => ({
    kind: 'wait',
    item: i.id,
    reason: i.reason,
    title: i.title,
    card: i.card,
    ...span(i.since, i.cleared_at, f.now),
  }));
}

const asReason = (r: string | null): StartReason | null =>
  (START_REASONS as readonly string[]).includes(r ?? '') ? (r as StartReason) : null;

function agentEntries(f: TimelineFacts): (StartEntry | TakeoverEntry)[] {
  const out: (StartEntry | TakeoverEntry)[] = [];
  let held: { at: string; who: string; pid: unknown } | null = null;
  const close = (end: string | null) => {
    if (held) out.push({ kind: 'takeover', who: held.who, ...span(held.at, end, f.now) });
    held = null;
  };
  // by time, then sequence: a writer stamps its event when it happens, and two writers (a hold
  // not awaited, its release) may reach the store in either order
  const sorted = [...f.agentEvents].sort((a, b) => ms(a.at) - ms(b.at) || a.seq - b.seq);
  for (const e of sorted) {
    if (e.kind === 'started') {
      out.push({
        kind: 'start',
        start: e.at,
        epoch: e.epoch,
        reason: asReason(e.reason),
        by: e.actor,
      });
    } else if (e.kind === 'takeover') {
      // a second takeover by another holder means the first one's release was never seen
      if (held) close(e.at);
      held = { at: e.at, who: e.actor, pid: e.detail.pid };
    } else if (held) {
      close(e.at);
    }
  }
  close(null);
  return out;
}

const endOf = (e: TimelineEntry): string => ('end' in e ? e.end : e.start);

/** Every entry of the agent that touches [since, until], ordered by start (then kind). */
export function buildTimeline(f: TimelineFacts): TimelineEntry[] {
  const since = ms(f.since);
  const until = ms(f.until);
  const order: Record<TimelineEntry['kind'], number> = {
    start: 0,
    takeover: 1,
    card: 2,
    wait: 3,
    returned: 4,
  };
  return [...cardEntries(f), ...waitEntries(f), ...agentEntries(f)]
    .filter((e) => ms(endOf(e)) >= since && ms(e.start) <= until)
    .sort((a, b) => ms(a.start) - ms(b.start) || order[a.kind] - order[b.kind]);
}

const UNITS: [string, number][] = [
  ['d', 86_400],
  ['h', 3_600],
  ['m', 60],
  ['s', 1],
];

/** `--since 24h`, `90m`, `2d`, `30s`: a span back from now in milliseconds, or null. */
export function parseSpan(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)\s*([smhd])$/.exec(text.trim());
  if (!m) return null;
  const unit = UNITS.find(([u]) => u === m[2])![1];
  return Math.round(Number(m[1]) * unit * 1000);
}

/** A duration for a reader: `45s`, `12m 3s`, `3h 5m`, `2d 4h`. */
export function formatDuration(seconds: number): string {
  const parts: string[] = [];
  let rest = Math.max(0, Math.round(seconds));
  for (const [u, n] of UNITS) {
    if (rest >= n || (u === 's' && parts.length === 0)) {
      parts.push(`${Math.floor(rest / n)}${u}`);
      rest %= n;
    }
    if (parts.length === 2) break;
  }
  return parts.join(' ');
}

const REASON_WORDS: Record<StartReason, string> = {
  start: 'started',
  crash: 'restarted after a crash',
  operator: 'restarted by an operator',
  fresh: 'restarted on a fresh conversation',
  update: 'relaunched by fleet update',
};

/** One line about an entry, for the CLI's list and the panel's tooltips. */
export function describeEntry(e: TimelineEntry): string {
  switch (e.kind) {
    case 'card':
      return `${e.card}${e.title ? ` "${e.title}"` : ''}: ${e.outcome ?? 'working'}${
        e.outcome && e.ended_by && e.ended_by !== e.owner ? ` by ${e.ended_by}` : ''
      }`;
    case 'wait':
      return `${e.reason}: ${e.title}${e.open ? ' (waiting)' : ''}`;
    case 'start':
      return `epoch ${e.epoch ?? '?'}: ${e.reason ? REASON_WORDS[e.reason] : 'started'} (${e.by})`;
    case 'takeover':
      return `taken over by ${e.who}${e.open ? ' (held)' : ', released'}`;
    case 'returned':
      return `${e.card}${e.title ? ` "${e.title}"` : ''} returned by ${e.by}`;
  }
}
