import { describe, expect, it } from 'vitest';
import { SignInThrottle } from './throttle.js';

const rules = { account: { max: 3, windowMs: 60_000 }, address: { max: 5, windowMs: 60_000 } };

describe('sign-in throttle', () => {
  it('refuses an account after max failures, until the oldest leaves the window', () => {
    const t = new SignInThrottle(rules);
    for (let i = 0; i < 3; i++) {
      expect(t.retryAfter('Op@x.dev', '127.0.0.1', 1000 + i)).toBe(0);
      t.fail('op@x.dev', '127.0.0.1', 1000 + i);
    }
    expect(t.retryAfter('OP@x.dev ', '::1', 2000)).toBe(59);
    expect(t.retryAfter('op@x.dev', '::1', 61_000)).toBe(0);
    expect(t.retryAfter('other@x.dev', '::1', 2000)).toBe(0);
  });

  it('refuses an address guessing many accounts', () => {
    const t = new SignInThrottle(rules);
    for (let i = 0; i < 5; i++) t.fail(`u${i}@x.dev`, '10.0.0.9', 1000);
    expect(t.retryAfter('new@x.dev', '10.0.0.9', 1001)).toBeGreaterThan(0);
    expect(t.retryAfter('new@x.dev', '10.0.0.8', 1001)).toBe(0);
  });

  it("a success clears the account's count", () => {
    const t = new SignInThrottle(rules);
    t.fail('op@x.dev', 'a', 1);
    t.fail('op@x.dev', 'a', 2);
    t.succeed('op@x.dev');
    t.fail('op@x.dev', 'a', 3);
    t.fail('op@x.dev', 'a', 4);
    expect(t.retryAfter('op@x.dev', 'b', 5)).toBe(0);
  });
});
