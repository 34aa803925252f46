import { describe, expect, it } from 'vitest';
import { peerChanges, peerNote, type Peer } from './peers.js';

const p = (name: string, over: Partial<Peer> = {}): Peer => ({
  name,
  alias: null,
  class: 'worker',
  role: 'code',
  host: 'h1',
  enabled: true,
  ...over,
});

describe('peer changes', () => {
  it('lists added, changed and removed peers, sorted; nothing when nothing changed', () => {
    const before = [p('orch', { class: 'orchestrator', role: null }), p('w0'), p('w1')];
    expect(peerChanges(before, [...before].reverse())).toEqual([]);
    const after = [before[0]!, p('w1', { alias: 'Ada' }), p('w2', { host: 'h2' })];
    expect(peerChanges(before, after)).toEqual([
      '~ w1 "Ada" (worker, code) on h1 (was w1 (worker, code) on h1)',
      '+ w2 (worker, code) on h2',
      '- w0 left the fleet',
    ]);
  });

  it('tells each agent about the others, not about itself', () => {
    const changes = ['+ w2 (worker, code) on h2', '- w0 left the fleet'];
    expect(peerNote('w2', changes)).toBe(
      '[fleet peers] The fleet changed: - w0 left the fleet.\nYour peer table now: fleet comms-block w2',
    );
    expect(peerNote('w2', ['+ w2 (worker, code) on h2'])).toBeNull();
    expect(peerNote('orch', changes)).toContain('+ w2 (worker, code) on h2; - w0 left the fleet');
  });
});
