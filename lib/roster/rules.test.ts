import { describe, expect, it } from 'vitest';
import { floorIssues, removalBlocker } from './rules.js';

const a = (name: string, cls: string) => ({ name, class: cls });

describe('floor rules', () => {
  it('passes the two-agent floor', () => {
    expect(floorIssues([a('o', 'orchestrator'), a('e', 'enhancer')])).toEqual([]);
  });
  it('refuses removal of the sole orchestrator or enhancer', () => {
    const fleet = [a('o', 'orchestrator'), a('e', 'enhancer'), a('w', 'worker')];
    expect(removalBlocker(fleet, 'o')).toMatch(/sole orchestrator/);
    expect(removalBlocker(fleet, 'e')).toMatch(/sole enhancer/);
    expect(removalBlocker(fleet, 'w')).toBeNull();
  });
  it('allows removing an enhancer when another remains', () => {
    expect(
      removalBlocker([a('o', 'orchestrator'), a('e', 'enhancer'), a('e2', 'enhancer')], 'e'),
    ).toBeNull();
  });
  it('allows emptying a one-agent roster', () => {
    expect(removalBlocker([a('c', 'canary')], 'c')).toBeNull();
  });
});
