import { describe, expect, it } from 'vitest';
import type { PsRow } from '../fleet/ps.js';
import type { CardEventView } from '../store/contract.js';
import { composeDigest, type DigestInput } from './digest.js';

const row = (name: string, over: Partial<PsRow> = {}): PsRow =>
  ({
    name,
    managed: true,
    enabled: true,
    session: 'alive',
    readiness: 'available',
    restarts: 0,
    failed: null,
    takeover: null,
    ...over,
  }) as PsRow;

const ev = (seq: number, card_id: string, kind: string, detail = {}): CardEventView => ({
  tenant_id: 't',
  host: 'h',
  seq,
  card_id,
  kind,
  actor: 'supervisor',
  detail,
  at: '2026-01-01T00:00:00.000Z',
});

const base: DigestInput = {
  since: '2026-01-01T00:00:00.000Z',
  until: '2026-01-01T00:30:00.000Z',
  events: [],
  rows: [row('w0'), row('w1')],
  restartsBefore: new Map([['w1', 2]]),
  halted: null,
  escalated: [],
  claimed: [],
};

describe('the enhancer digest', () => {
  it('is null for a quiet period', () => {
    expect(
      composeDigest({ ...base, events: [ev(1, 'c1', 'claimed'), ev(2, 'c1', 'completed')] }),
    ).toBeNull();
  });

  it('names restarts, failures, checks, blocks, takeovers and escalations, sorted, same bytes', () => {
    const input: DigestInput = {
      ...base,
      rows: [
        row('w1', { restarts: 5, failed: 'max_restarts 3 in 600 s' }),
        row('w0', { readiness: 'waiting', takeover: 'op@h since x' }),
      ],
      events: [
        ev(9, 'c2', 'failed', { reason: 'acceptance check failed (exit 1): boom\nmore' }),
        ev(3, 'c1', 'failed', { reason: 'did not take the prompt' }),
        ev(4, 'c3', 'blocked', { reason: 'attempts exhausted (3 of 3)' }),
        ev(5, 'c4', 'completed'),
      ],
      escalated: ['c3'],
      halted: 'recovery halted: auth-like failures on k1, k2',
      waitingSince: new Map([['w0', '2026-01-01T00:18:00.000Z']]),
      claimed: [
        { id: 'c9', claim_owner: 'w1@h#2', claimed_at: '2025-12-31T23:15:00.000Z' },
        { id: 'c8', claim_owner: 'w0@h#1', claimed_at: '2026-01-01T00:20:00.000Z' },
      ],
    };
    const text = composeDigest(input)!;
    expect(text).toBe(composeDigest({ ...input, rows: [...input.rows].reverse() }));
    expect(text.split('\n')).toEqual([
      '[fleet digest] 2026-01-01T00:00:00.000Z → 2026-01-01T00:30:00.000Z: 1 card(s) done.',
      'Agents:',
      '- w0 is waiting for a human (for 12 min)',
      '- w0 is taken over by op@h since x',
      '- w1 restarted 3 time(s) (5 in all)',
      '- w1 failed: max_restarts 3 in 600 s',
      '- recovery halted: auth-like failures on k1, k2',
      'Cards:',
      '- card c1 failed: did not take the prompt',
      '- card c2 check failed: acceptance check failed (exit 1): boom',
      '- card c3 blocked: attempts exhausted (3 of 3)',
      '- card c9 held by w1 for 75 min',
      '- card c3 escalated to the orchestrator',
      'Diagnose what repeats and file improvement cards (fleet backlog create …); do not fix, code or review yourself.',
    ]);
  });
});
