import { describe, expect, it } from 'vitest';
import { planDispatch, type DispatchAgent, type DispatchCard } from './dispatch.js';

const card = (
  id: string,
  priority = 0,
  assignee_class: string | null = null,
  created_at = '2026-01-01',
): DispatchCard => ({ id, priority, assignee_class, created_at });
const agent = (name: string, cls = 'worker', over: Partial<DispatchAgent> = {}): DispatchAgent => ({
  name,
  class: cls,
  readiness: 'available',
  heldByHuman: false,
  currentCard: null,
  enabled: true,
  ...over,
});

describe('planDispatch', () => {
  it('gives the highest-priority cards first and never two cards to one agent', () => {
    expect(
      planDispatch([card('low', 1), card('high', 9), card('mid', 5)], [agent('w1'), agent('w0')]),
    ).toEqual([
      { card: 'high', agent: 'w0' },
      { card: 'mid', agent: 'w1' },
    ]);
  });

  it('matches assignee class, and keeps orchestrator/enhancer out of unassigned work', () => {
    const agents = [agent('o', 'orchestrator'), agent('e', 'enhancer'), agent('r', 'reviewer')];
    expect(planDispatch([card('any')], agents)).toEqual([{ card: 'any', agent: 'r' }]);
    expect(planDispatch([card('rev', 0, 'reviewer'), card('x', 5, 'designer')], agents)).toEqual([
      { card: 'rev', agent: 'r' },
    ]);
  });

  it('skips agents that are busy, waiting, held by a human, disabled or already on a card', () => {
    const agents = [
      agent('a', 'worker', { readiness: 'working' }),
      agent('b', 'worker', { readiness: 'waiting' }),
      agent('c', 'worker', { heldByHuman: true }),
      agent('d', 'worker', { enabled: false }),
      agent('e1', 'worker', { currentCard: 'old' }),
      agent('f', 'worker', { readiness: 'stale' }),
    ];
    expect(planDispatch([card('x')], agents)).toEqual([]);
  });

  it('breaks priority ties by age, then id', () => {
    expect(
      planDispatch(
        [
          card('b', 1, null, '2026-01-02'),
          card('a', 1, null, '2026-01-02'),
          card('c', 1, null, '2026-01-01'),
        ],
        [agent('w')],
      ),
    ).toEqual([{ card: 'c', agent: 'w' }]);
  });
});
