import { describe, expect, it } from 'vitest';
import type { PsRow } from '../fleet/ps.js';
import { drainStep, type DrainFacts, type DrainHeld } from './drain.js';

const row = (name: string, readiness: PsRow['readiness'], session: PsRow['session'] = 'alive') =>
  ({ name, readiness, session }) as PsRow;
const NOW = Date.parse('2026-12-03T10:00:00Z');
const held = (card: string, agent: string, agoMs = 60_000): DrainHeld => ({
  card,
  title: `title ${card}`,
  agent,
  claimedAt: new Date(NOW - agoMs).toISOString(),
});
const facts = (o: Partial<DrainFacts>): DrainFacts => ({
  rows: new Map(),
  agents: [],
  held: [],
  delivering: new Set(),
  idleBefore: new Set(),
  nowMs: NOW,
  settleMs: 5000,
  ...o,
});

describe('drainStep', () => {
  it('quiet when nothing works, waits or holds', () => {
    const s = drainStep(
      facts({
        agents: ['a', 'b', 'c', 'd'],
        // idle, dead, unknown, and one at a login screen without a card
        rows: new Map([
          ['a', row('a', 'available')],
          ['b', row('b', 'dead', 'dead')],
          ['c', row('c', 'unknown')],
          ['d', row('d', 'waiting')],
        ]),
      }),
    );
    expect(s).toMatchObject({ quiet: true, working: [], checkpoint: [] });
    expect([...s.idleNow]).toEqual(['a']);
  });

  it('waits for a working agent, one being typed to, one asking a human mid-card', () => {
    const s = drainStep(
      facts({
        agents: ['w', 't', 'q'],
        rows: new Map([
          ['w', row('w', 'working')],
          ['t', row('t', 'available')],
          ['q', row('q', 'waiting')],
        ]),
        held: [held('c1', 'w'), held('c2', 'q')],
        delivering: new Set(['t']),
      }),
    );
    expect(s.quiet).toBe(false);
    expect(s.working).toEqual([
      { agent: 'w', state: 'working', card: 'c1' },
      { agent: 't', state: 'delivering', card: null },
      { agent: 'q', state: 'waiting', card: 'c2' },
    ]);
  });

  it('puts back the card of an agent whose turn ended unfinished, once its idle lasted and the card settled', () => {
    const base = {
      agents: ['a'],
      rows: new Map([['a', row('a', 'available')]]),
    };
    // first idle look: not yet
    expect(drainStep(facts({ ...base, held: [held('c1', 'a')] }))).toMatchObject({
      checkpoint: [],
      working: [{ agent: 'a', state: 'holding', card: 'c1' }],
    });
    // idle at two looks, but the card was typed a moment ago: not yet
    expect(
      drainStep(facts({ ...base, held: [held('c1', 'a', 1000)], idleBefore: new Set(['a']) }))
        .checkpoint,
    ).toEqual([]);
    const s = drainStep(facts({ ...base, held: [held('c1', 'a')], idleBefore: new Set(['a']) }));
    expect(s.checkpoint).toEqual([
      {
        card: 'c1',
        agent: 'a',
        note: expect.stringContaining('drain: a ended its turn without finishing "title c1"'),
      },
    ]);
    expect(s.quiet).toBe(true);
  });

  it("a dead agent's card is left to the lease rules and keeps the drain waiting", () => {
    const s = drainStep(
      facts({
        agents: ['a'],
        rows: new Map([['a', row('a', 'dead', 'dead')]]),
        held: [held('c1', 'a')],
        idleBefore: new Set(['a']),
      }),
    );
    expect(s).toMatchObject({ quiet: false, checkpoint: [], working: [{ state: 'holding' }] });
  });
});
