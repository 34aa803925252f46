import { describe, expect, it } from 'vitest';
import { cycleIfLinked, missingIds, type Edge } from './dag.js';

describe('cycleIfLinked', () => {
  const chain: Edge[] = [
    ['C', 'B'],
    ['B', 'A'],
  ];

  it('accepts an edge that keeps the graph acyclic', () => {
    expect(cycleIfLinked(chain, 'D', 'C')).toBeNull();
    expect(cycleIfLinked(chain, 'C', 'A')).toBeNull();
  });

  it('names the cycle from the new edge back to its start', () => {
    expect(cycleIfLinked(chain, 'A', 'C')).toEqual(['A', 'C', 'B', 'A']);
  });

  it('names a two-card cycle', () => {
    expect(cycleIfLinked([['B', 'A']], 'A', 'B')).toEqual(['A', 'B', 'A']);
  });

  it('refuses a self-dependency as a cycle of one', () => {
    expect(cycleIfLinked([], 'A', 'A')).toEqual(['A', 'A']);
  });

  it('reports a shortest cycle when several close', () => {
    const edges: Edge[] = [
      ['X', 'P'],
      ['P', 'Q'],
      ['Q', 'A'],
      ['X', 'A'],
    ];
    expect(cycleIfLinked(edges, 'A', 'X')).toEqual(['A', 'X', 'A']);
  });

  it('follows diamonds without repeating nodes', () => {
    const edges: Edge[] = [
      ['D', 'B'],
      ['D', 'C'],
      ['B', 'A'],
      ['C', 'A'],
    ];
    expect(cycleIfLinked(edges, 'A', 'D')).toEqual(['A', 'D', 'B', 'A']);
    expect(cycleIfLinked(edges, 'E', 'D')).toBeNull();
  });
});

describe('missingIds', () => {
  it('lists unknown ids once, in order', () => {
    expect(missingIds(['a', 'x', 'b', 'x', 'y'], new Set(['a', 'b']))).toEqual(['x', 'y']);
  });
});
