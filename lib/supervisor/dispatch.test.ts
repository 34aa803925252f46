import { describe, expect, it } from 'vitest';
import { mayTakeAny, planDispatch, type DispatchAgent, type DispatchCard } from './dispatch.js';

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
    const agents = [agent('o', 'orchestrator'), agent('e', 'enhancer'), agent('i', 'implementer')];
    expect(planDispatch([card('any')], agents)).toEqual([{ card: 'any', agent: 'i' }]);
    expect(planDispatch([card('x', 5, 'designer')], agents)).toEqual([]);
  });

  it('a reviewer takes review cards only (docs/review.md)', () => {
    const agents = [agent('r', 'reviewer')];
    expect(planDispatch([card('any', 9)], agents)).toEqual([]);
    expect(planDispatch([card('any', 9), card('rev', 0, 'reviewer')], agents)).toEqual([
      { card: 'rev', agent: 'r' },
    ]);
  });

  it('a card back from review goes only to its author', () => {
    const back = { ...card('c', 9), assignee: 'w1' };
    expect(planDispatch([back], [agent('w0')])).toEqual([]);
    expect(planDispatch([back], [agent('w0'), agent('w1')])).toEqual([{ card: 'c', agent: 'w1' }]);
  });

  it('never two cards with overlapping paths in one repository at once, nor beside one in progress', () => {
    const p = (id: string, paths: string[], repo = 'app', priority = 0) => ({
      ...card(id, priority),
      repo,
      paths,
    });
    const agents = [agent('w0'), agent('w1'), agent('w2')];
    expect(
      planDispatch(
        [p('a', ['src/**'], 'app', 3), p('b', ['src/x.ts'], 'app', 2), p('c', ['src/x.ts'], 'web')],
        agents,
      ),
    ).toEqual([
      { card: 'a', agent: 'w0' },
      { card: 'c', agent: 'w1' },
    ]);
    expect(
      planDispatch([p('b', ['src/x.ts'])], agents, [{ id: 'a', repo: 'app', paths: ['src/**'] }]),
    ).toEqual([]);
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

describe('mayTakeAny', () => {
  const authored = { ...card('back'), assignee: 'o' };

  it('is false while only the permanent seats are idle and every worker is busy or held', () => {
    const agents = [
      agent('o', 'orchestrator'),
      agent('e', 'enhancer'),
      agent('w0', 'worker', { readiness: 'busy' }),
      agent('w1', 'worker', { heldByHuman: true }),
      agent('w2', 'worker', { enabled: false }),
      agent('w3', 'worker', { currentCard: '(delivering)' }),
    ];
    expect(mayTakeAny([card('a'), card('b', 1, 'worker')], agents)).toBe(false);
    expect(planDispatch([card('a'), card('b', 1, 'worker')], agents)).toEqual([]);
  });

  it('is true as soon as one agent could take one card, as the plan would give it', () => {
    const agents = [agent('o', 'orchestrator'), agent('w0', 'worker', { readiness: 'busy' })];
    expect(mayTakeAny([card('a')], [...agents, agent('w1')])).toBe(true);
    // a card back from review goes to its author, whatever its class
    expect(mayTakeAny([card('a'), authored], agents)).toBe(true);
    expect(planDispatch([card('a'), authored], agents)).toEqual([{ card: 'back', agent: 'o' }]);
    expect(mayTakeAny([card('x', 0, 'designer')], [agent('w1')])).toBe(false);
    expect(mayTakeAny([], [agent('w1')])).toBe(false);
  });
});
