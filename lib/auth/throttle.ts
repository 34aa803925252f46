/**
 * Failed sign-ins, counted per account and per client address (docs/security.md "Sign-in").
 * The auth library's own limiter bounds every request per address; this one bounds guesses:
 * after `max` failures within `windowMs` for a key, that key is refused until the oldest
 * failure leaves the window. A success clears the account's count. Pure and in memory: fleetd
 * is the one process that serves sign-in, and a restart forgetting the counts is harmless.
 */
export interface ThrottleRule {
  max: number;
  windowMs: number;
}

const ACCOUNT_RULE: ThrottleRule = { max: 10, windowMs: 10 * 60_000 };
const ADDRESS_RULE: ThrottleRule = { max: 30, windowMs: 10 * 60_000 };

/** Keys kept at most: a flood of invented accounts cannot grow fleetd without bound. */
const MAX_KEYS = 10_000;

export class SignInThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly rules: { account: ThrottleRule; address: ThrottleRule } = {
      account: ACCOUNT_RULE,
      address: ADDRESS_RULE,
    },
  ) {}

  private recent(key: string, rule: ThrottleRule, now: number): number[] {
    const kept = (this.failures.get(key) ?? []).filter((t) => now - t < rule.windowMs);
    if (kept.length) this.failures.set(key, kept);
    else this.failures.delete(key);
    return kept;
  }

  private keys(account: string, address: string) {
    return [
      { key: `account:${account.trim().toLowerCase()}`, rule: this.rules.account },
      { key: `address:${address}`, rule: this.rules.address },
    ];
  }

  /** Seconds to wait before this account may try again from this address, or 0. */
  retryAfter(account: string, address: string, now = Date.now()): number {
    let wait = 0;
    for (const { key, rule } of this.keys(account, address)) {
      const f = this.recent(key, rule, now);
      if (f.length >= rule.max)
        wait = Math.max(wait, f[f.length - rule.max]! + rule.windowMs - now);
    }
    return Math.ceil(wait / 1000);
  }

  fail(account: string, address: string, now = Date.now()): void {
    for (const { key, rule } of this.keys(account, address)) {
      const f = this.recent(key, rule, now);
      f.push(now);
      this.failures.set(key, f.slice(-rule.max));
    }
    if (this.failures.size > MAX_KEYS) {
      const oldest = this.failures.keys().next().value;
      if (oldest !== undefined) this.failures.delete(oldest);
    }
  }

  succeed(account: string): void {
    this.failures.delete(`account:${account.trim().toLowerCase()}`);
  }
}
