import { describe, expect, it } from 'vitest';
import {
  buildTimeline,
  formatDuration,
  ownedBy,
  parseSpan,
  type TimelineAgentEvent,
  type TimelineCardEvent,
  type TimelineFacts,
} from './rules.js';

const T = (min: number) => new Date(Date.UTC(2026, 0, 1, 10, min)).toISOString();
let seq = 0;
const ev = (
  card: string,
  kind: string,
  actor: string,
  min: number,
  detail: Record<string, unknown> = {},
): TimelineCardEvent => ({ seq: ++seq, card_id: card, kind, actor, detail, at: T(min) });
const agentEv = (
  kind: TimelineAgentEvent['kind'],
  min: number,
  extra: Partial<TimelineAgentEvent> = {},
): TimelineAgentEvent => ({
  seq: ++seq,
  kind,
  epoch: null,
  reason: null,
  actor: 'op',
  detail: {},
  at: T(min),
  ...extra,
});

const W = 'w1@h1#3';
function facts(over: Partial<TimelineFacts>): TimelineFacts {
  return {
    agent: 'w1',
    host: 'h1',
    since: T(0),
    until: T(120),
    now: T(100),
    cardEvents: [],
    titles: new Map([
      ['c1', 'first'],
      ['c2', 'second'],
    ]),
    items: [],
    agentEvents: [],
    ...over,
  };
}

describe('ownedBy', () => {
  it('takes the bare name and the name on this host, never another agent or host', () => {
    expect(ownedBy('w1', 'w1', 'h1')).toBe(true);
    expect(ownedBy('w1@h1#3', 'w1', 'h1')).toBe(true);
    expect(ownedBy('w1@h2#3', 'w1', 'h1')).toBe(false);
    expect(ownedBy('w10@h1#3', 'w1', 'h1')).toBe(false);
    expect(ownedBy('reaper', 'w1', 'h1')).toBe(false);
  });
});

describe('card spans', () => {
  it('pair each claim with the event that ended it, renewals and edits in between ignored', () => {
    const t = buildTimeline(
      facts({
        cardEvents: [
          ev('c1', 'created', 'api', 1),
          ev('c1', 'claimed', W, 5, { fence: 1 }),
          ev('c1', 'renewed', W, 7, { fence: 1 }),
          ev('c1', 'updated', 'api', 8),
          ev('c1', 'completed', W, 15, { fence: 1 }),
          ev('c2', 'claimed', W, 20, { fence: 1 }),
          ev('c2', 'reclaimed', 'reaper', 50, { fence: 1, previous_owner: W }),
        ],
      }),
    );
    expect(t).toEqual([
      expect.objectContaining({
        kind: 'card',
        card: 'c1',
        title: 'first',
        start: T(5),
        end: T(15),
        open: false,
        duration_s: 600,
        outcome: 'completed',
        ended_by: W,
      }),
      expect.objectContaining({
        kind: 'card',
        card: 'c2',
        outcome: 'reclaimed',
        ended_by: 'reaper',
        duration_s: 1800,
      }),
    ]);
  });

  it('names a put-back, a block, a close and a submit to review; a return by review is a mark', () => {
    const t = buildTimeline(
      facts({
        cardEvents: [
          ev('c1', 'claimed', W, 1),
          ev('c1', 'reclaimed', 'operator', 2, { forced: true }),
          ev('c1', 'claimed', W, 3),
          ev('c1', 'moved', 'api', 4, { from: 'claimed', to: 'blocked', action: 'block' }),
          ev('c1', 'unblocked', 'api', 5),
          ev('c1', 'claimed', W, 6),
          ev('c1', 'moved', 'api', 7, { from: 'claimed', to: 'done', action: 'close' }),
          ev('c2', 'claimed', W, 8),
          ev('c2', 'submitted', W, 9),
          ev('c2', 'returned', 'reviewer', 12),
          ev('c2', 'claimed', W, 13),
          ev('c2', 'failed', W, 14),
        ],
      }),
    );
    expect(
      t.map((e) => [e.kind, 'outcome' in e ? e.outcome : e.kind === 'returned' ? e.by : '']),
    ).toEqual([
      ['card', 'released'],
      ['card', 'blocked'],
      ['card', 'closed'],
      ['card', 'submitted'],
      ['returned', 'reviewer'],
      ['card', 'failed'],
    ]);
  });

  it('leaves out other agents and other hosts, and ends an open claim now', () => {
    const t = buildTimeline(
      facts({
        cardEvents: [
          ev('c1', 'claimed', 'w2@h1#1', 1),
          ev('c1', 'completed', 'w2@h1#1', 2),
          ev('c2', 'claimed', 'w1@h2#1', 3),
          ev('c2', 'claimed', W, 90),
        ],
      }),
    );
    expect(t).toEqual([
      expect.objectContaining({
        card: 'c2',
        start: T(90),
        end: T(100),
        open: true,
        outcome: null,
        duration_s: 600,
      }),
    ]);
  });

  it('a return by review after someone else held the card is not this agent’s', () => {
    const t = buildTimeline(
      facts({
        cardEvents: [ev('c1', 'submitted', 'w2@h1#1', 1), ev('c1', 'returned', 'rev', 2)],
      }),
    );
    expect(t).toEqual([]);
  });
});

describe('waits, starts and takeovers', () => {
  it('a wait spans raised to cleared, or to now while open', () => {
    const t = buildTimeline(
      facts({
        items: [
          {
            id: 'a-1',
            reason: 'permission',
            title: 'asks',
            card: null,
            since: T(10),
            cleared_at: T(12),
          },
          {
            id: 'a-2',
            reason: 'question',
            title: 'asks again',
            card: 'c1',
            since: T(95),
            cleared_at: null,
          },
        ],
      }),
    );
    expect(t).toEqual([
      expect.objectContaining({
        kind: 'wait',
        item: 'a-1',
        reason: 'permission',
        duration_s: 120,
        open: false,
      }),
      expect.objectContaining({
        kind: 'wait',
        item: 'a-2',
        end: T(100),
        open: true,
        duration_s: 300,
      }),
    ]);
  });

  it('a start is a mark with its reason; a takeover spans taken to released', () => {
    const t = buildTimeline(
      facts({
        agentEvents: [
          agentEv('started', 1, { epoch: 1, reason: 'start', actor: 'supervisor' }),
          agentEv('started', 30, { epoch: 2, reason: 'operator', actor: 'ann' }),
          agentEv('takeover', 40, { actor: 'ann', detail: { pid: 7 } }),
          agentEv('released', 45, { actor: 'ann', detail: { pid: 7 } }),
          agentEv('started', 50, { epoch: 3, reason: 'nonsense' }),
          agentEv('takeover', 60, { actor: 'bob' }),
        ],
      }),
    );
    expect(t).toEqual([
      { kind: 'start', start: T(1), epoch: 1, reason: 'start', by: 'supervisor' },
      { kind: 'start', start: T(30), epoch: 2, reason: 'operator', by: 'ann' },
      expect.objectContaining({
        kind: 'takeover',
        who: 'ann',
        start: T(40),
        end: T(45),
        duration_s: 300,
      }),
      expect.objectContaining({ kind: 'start', epoch: 3, reason: null }),
      expect.objectContaining({ kind: 'takeover', who: 'bob', open: true, end: T(100) }),
    ]);
  });

  it('keeps what touches the window and orders by start', () => {
    const t = buildTimeline(
      facts({
        since: T(20),
        until: T(60),
        cardEvents: [
          ev('c1', 'claimed', W, 1),
          ev('c1', 'completed', W, 10), // ended before the window
          ev('c2', 'claimed', W, 15),
          ev('c2', 'completed', W, 25), // began before, ended inside: kept whole
        ],
        agentEvents: [
          agentEv('started', 21, { epoch: 2, reason: 'crash' }),
          agentEv('started', 70),
        ],
        items: [
          {
            id: 'a-1',
            reason: 'rate_limited',
            title: 'limit',
            card: null,
            since: T(22),
            cleared_at: T(23),
          },
        ],
      }),
    );
    expect(t.map((e) => [e.kind, e.start])).toEqual([
      ['card', T(15)],
      ['start', T(21)],
      ['wait', T(22)],
    ]);
  });
});

describe('spans of time for people', () => {
  it('parses --since and prints durations', () => {
    expect(parseSpan('24h')).toBe(86_400_000);
    expect(parseSpan('90m')).toBe(5_400_000);
    expect(parseSpan('2d')).toBe(172_800_000);
    expect(parseSpan('1.5h')).toBe(5_400_000);
    expect(parseSpan('yesterday')).toBeNull();
    expect(parseSpan('-1h')).toBeNull();
    expect(formatDuration(45)).toBe('45s');
    expect(formatDuration(723)).toBe('12m 3s');
    expect(formatDuration(3 * 3600 + 300)).toBe('3h 5m');
    expect(formatDuration(0)).toBe('0s');
  });
});
