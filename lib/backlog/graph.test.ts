import { describe, expect, it } from 'vitest';
import { criticalPath, graphEdges, type GraphCard } from './graph.js';

const c = (id: string, depends_on: string[] = [], status = 'ready'): GraphCard => ({
  id,
  status,
  depends_on,
});

describe('the backlog graph', () => {
  it('has one edge per dependency between known cards', () => {
    expect(graphEdges([c('a'), c('b', ['a', 'gone'])])).toEqual([{ from: 'a', to: 'b' }]);
  });

  it('marks the longest chain of cards not yet done', () => {
    // a → b → d and c → d, e alone: a, b, d is the longest
    const cards = [c('a'), c('b', ['a']), c('c'), c('d', ['b', 'c']), c('e')];
    expect(criticalPath(cards)).toEqual(['a', 'b', 'd']);
    // done cards do not count: with a and b done, the chain left is c → d
    const later = [c('a', [], 'done'), c('b', ['a'], 'done'), c('c'), c('d', ['b', 'c']), c('e')];
    expect(criticalPath(later)).toEqual(['c', 'd']);
    expect(criticalPath([c('a', [], 'done')])).toEqual([]);
    expect(criticalPath([])).toEqual([]);
  });

  it('survives a cycle it should never see', () => {
    expect(criticalPath([c('a', ['b']), c('b', ['a'])]).length).toBeGreaterThan(0);
  });
});
