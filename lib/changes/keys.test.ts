import { describe, expect, it } from 'vitest';
import { ChangeKeys } from './keys.js';

describe('ChangeKeys', () => {
  it('counts the first key and every different one, not the same one again', () => {
    const k = new ChangeKeys();
    expect(k.changed('fleet', 'a', 0)).toBe(true);
    expect(k.changed('fleet', 'a', 1000)).toBe(false);
    expect(k.changed('fleet', 'b', 2000)).toBe(true);
    expect(k.changed('drain', 'b', 2000)).toBe(true);
  });

  it('counts ages that moved only once the refresh period has passed', () => {
    const k = new ChangeKeys();
    const refresh = (aged: string) => ({ ms: 60_000, aged });
    expect(k.changed('fleet', 'rows', 0, refresh('age 1'))).toBe(true);
    expect(k.changed('fleet', 'rows', 30_000, refresh('age 31'))).toBe(false);
    expect(k.changed('fleet', 'rows', 60_000, refresh('age 61'))).toBe(true);
    // nothing moved at all: no refresh either
    expect(k.changed('fleet', 'rows', 200_000, refresh('age 61'))).toBe(false);
  });
});
