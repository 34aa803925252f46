import { describe, expect, it } from 'vitest';
import type { PsRow } from '../fleet/ps.js';
import type { CardView } from '../store/contract.js';
import type { ReviewRecord } from '../review/contract.js';
import type { PauseView } from '../store/registry-contract.js';
import { deriveAttention, type AttentionInput } from './rules.js';

const NOW = Date.parse('2026-12-02T12:00:00Z');

const row = (name: string, over: Partial<PsRow> = {}): PsRow =>
  ({
    name,
    tenant_id: 't',
    host: 'h',
    managed: true,
    session: 'alive',
    readiness: 'available',
    failed: null,
    takeover: null,
    ...over,
  }) as PsRow;

const pause: PauseView = {
  tenant_id: 't',
  host: 'h',
  paused: false,
  drain: false,
  since: null,
  by: null,
  reason: null,
  halted: null,
};

const card = (id: string, over: Partial<CardView> = {}): CardView =>
  ({
    id,
    title: `card ${id}`,
    status: 'ready',
    attempts: 0,
    max_attempts: 3,
    last_error: null,
    blocked_reason: null,
    ...over,
  }) as CardView;

function input(over: Partial<AttentionInput> = {}): AttentionInput {
  return {
    rows: [],
    screens: new Map(),
    pause,
    cards: [],
    escalated: new Set(),
    takeovers: new Map(),
    rosterError: null,
    northstarError: null,
    nowMs: NOW,
    takeoverHeldSeconds: 900,
    ...over,
  };
}

describe('deriveAttention', () => {
  it('a healthy fleet needs nothing', () => {
    expect(deriveAttention(input({ rows: [row('a'), row('b')], cards: [card('c1')] }))).toEqual([]);
  });

  it('what a screen shows becomes an item keyed by reason and agent, with its answers', () => {
    const facts = deriveAttention(
      input({
        rows: [row('w1', { readiness: 'waiting' }), row('w2')],
        screens: new Map([
          ['w1', { reason: 'permission', evidence: 'Allow this command?', resetAt: null }],
          ['w2', { reason: 'rate_limited', evidence: 'limit', resetAt: NOW + 60_000 }],
        ]),
      }),
    );
    expect(facts.map((f) => [f.key, f.actions])).toEqual([
      ['permission:w1', ['approve', 'deny', 'reply']],
      ['rate_limited:w2', ['resume_agent', 'reply']],
    ]);
    expect(facts[1]!.reset_at).toBe(new Date(NOW + 60_000).toISOString());
    expect(facts[0]).toMatchObject({ agent: 'w1', card: null, link: '/agents/w1' });
  });

  it('a failed agent is raised once, whatever its screen shows', () => {
    const facts = deriveAttention(
      input({
        rows: [row('w1', { failed: '5 restarts in 600s' })],
        screens: new Map([['w1', { reason: 'question', evidence: 'x', resetAt: null }]]),
      }),
    );
    expect(facts.map((f) => f.key)).toEqual(['failed:w1']);
    expect(facts[0]!.evidence).toBe('5 restarts in 600s');
  });

  it('unmanaged sessions are never raised', () => {
    const facts = deriveAttention(
      input({
        rows: [row('stray', { managed: false, failed: 'x' })],
        screens: new Map([['stray', { reason: 'question', evidence: 'x', resetAt: null }]]),
      }),
    );
    expect(facts).toEqual([]);
  });

  it('a takeover is raised only past the threshold', () => {
    const since = (s: number) => new Date(NOW - s * 1000).toISOString();
    const mk = (s: number) =>
      deriveAttention(
        input({
          rows: [row('w1')],
          takeovers: new Map([['w1', { who: 'alice', since: since(s) }]]),
        }),
      );
    expect(mk(899)).toEqual([]);
    expect(mk(1200)[0]).toMatchObject({ key: 'takeover_held:w1', actions: ['release_takeover'] });
    expect(mk(1200)[0]!.title).toBe('alice has held w1 for 20 min');
  });

  it('cards: blocked after the last attempt, and a failed check while attempts remain', () => {
    const facts = deriveAttention(
      input({
        cards: [
          card('b1', { status: 'blocked', attempts: 3, last_error: 'exit 1' }),
          card('b2', { status: 'blocked', attempts: 1, blocked_reason: 'parked by hand' }),
          card('k1', { attempts: 1, last_error: 'acceptance check failed (exit 1): boom' }),
          card('k2', { attempts: 1, last_error: 'agent died' }),
        ],
        escalated: new Set(['b1']),
      }),
    );
    expect(facts.map((f) => f.key)).toEqual(['card_blocked:b1', 'check_failed:k1']);
    expect(facts[0]!.title).toContain('escalated to the orchestrator');
    expect(facts[0]).toMatchObject({
      card: 'b1',
      link: '/backlog?card=b1',
      actions: ['retry_card'],
    });
    expect(facts[1]!.evidence).toContain('boom');
  });

  it("review: a pending review is the operator's when no reviewer agent is in the fleet; a held merge always is", () => {
    const review = (
      state: 'pending' | 'approved',
      gate_error: string | null = null,
    ): ReviewRecord => ({
      state,
      author: 'w0',
      round: 2,
      approved_by: null,
      approved_at: null,
      comments: [],
      returned: null,
      merge: null,
      pull_request: null,
      gate_error,
    });
    const cards = [
      card('r1', { status: 'review', review: review('pending') }),
      card('r2', { status: 'review', review: review('approved') }),
      card('r3', {
        status: 'review',
        review: review('approved', 'repo app: main is checked out at /x with uncommitted changes'),
      }),
    ];
    const mine = deriveAttention(input({ cards }));
    expect(mine.map((f) => f.key)).toEqual(['review:r1', 'merge_held:r3']);
    expect(mine[0]).toMatchObject({
      link: '/backlog?card=r1',
      title: 'card r1 by w0 waits for your review (round 2): card r1',
    });
    expect(mine[1]!.evidence).toContain('uncommitted changes');
    const withReviewer = deriveAttention(input({ cards, reviewerInFleet: true }));
    expect(withReviewer.map((f) => f.key)).toEqual(['merge_held:r3']);
  });

  it('fleet facts come first: roster, NORTH_STAR, recovery halt, PAUSE', () => {
    const facts = deriveAttention(
      input({
        rosterError: 'roster.yaml:3:1 agents: required',
        northstarError: 'bad goal',
        pause: { ...pause, paused: true, by: 'op', reason: 'lunch', since: 'x', halted: 'auth' },
      }),
    );
    expect(facts.map((f) => f.key)).toEqual([
      'roster_invalid:fleet',
      'northstar_invalid:fleet',
      'recovery_halted:fleet',
      'paused:fleet',
    ]);
    expect(facts[3]!.title).toBe('the fleet is paused by op: lunch');
    expect(facts[3]!.actions).toEqual(['resume_fleet']);
  });

  it('evidence keeps its lines but shows control characters; titles are one clipped line', () => {
    const [f] = deriveAttention(
      input({
        rows: [row('w1')],
        screens: new Map([
          ['w1', { reason: 'question', evidence: 'line 1\n\x1b[31mred\x07', resetAt: null }],
        ]),
        cards: [card('c', { status: 'blocked', attempts: 3, title: 'x'.repeat(500) })],
      }),
    );
    expect(f!.evidence).toBe('line 1\n\\x1B[31mred\\x07');
    const all = deriveAttention(
      input({ cards: [card('c', { status: 'blocked', attempts: 3, title: 't\nt'.repeat(300) })] }),
    );
    expect(all[0]!.title.length).toBeLessThanOrEqual(200);
    expect(all[0]!.title).not.toContain('\n');
  });
});
