import { describe, expect, it } from 'vitest';
import { reconnectDelay, RECONNECT_MAX_MS, RECONNECT_MIN_MS } from './reconnect.js';

describe('reconnectDelay', () => {
  it('doubles from half a second up to the ceiling', () => {
    expect([0, 1, 2, 3].map((a) => reconnectDelay(a, 0))).toEqual([500, 1000, 2000, 4000]);
    expect(reconnectDelay(30, 0)).toBe(RECONNECT_MAX_MS);
  });

  it('adds at most a fifth at random', () => {
    expect(reconnectDelay(0, 1)).toBe(RECONNECT_MIN_MS * 1.2);
    expect(reconnectDelay(30, 1)).toBe(RECONNECT_MAX_MS * 1.2);
  });
});
