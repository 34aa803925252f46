import { describe, expect, it } from 'vitest';
import { CHANGE_TOPICS } from '../changes/topics.js';
import {
  backlogKeys,
  fleetKeys,
  inboxKeys,
  isReadAgainOnReset,
  keysForChange,
} from './query-keys.js';

describe('keysForChange', () => {
  it('reads again the queries that show each topic', () => {
    expect(keysForChange('card', 'c1')).toEqual([
      backlogKeys.board(),
      backlogKeys.card('c1'),
      ['review', 'show', 'c1'],
      fleetKeys.timelines(),
    ]);
    expect(keysForChange('inbox')).toEqual([inboxKeys.view(), fleetKeys.timelines()]);
    expect(keysForChange('fleet')).toEqual([fleetKeys.all]);
    expect(keysForChange('pause')).toEqual([fleetKeys.snapshot()]);
  });

  it('has keys for every topic, and never the digest (its read records a visit)', () => {
    for (const t of CHANGE_TOPICS) {
      const keys = keysForChange(t, 'x');
      expect(keys.length, t).toBeGreaterThan(0);
      for (const k of keys) expect(isReadAgainOnReset(k), `${t}: ${k.join('/')}`).toBe(true);
    }
    expect(isReadAgainOnReset(inboxKeys.digest())).toBe(false);
  });
});
