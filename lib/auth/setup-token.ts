import { randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The one-time setup link `fleet serve` prints while no operator account exists. The token
 * lives only in fleetd's memory: it works once, and never after an account exists.
 */
export class SetupToken {
  private token: string | null = null;

  issue(): string {
    this.token = randomBytes(24).toString('base64url');
    return this.token;
  }

  /** true when `candidate` is the live token; does not consume it */
  check(candidate: string | null | undefined): boolean {
    if (!this.token || !candidate) return false;
    const a = Buffer.from(this.token);
    const b = Buffer.from(candidate);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  /**
   * Take the token if `candidate` is it. Synchronous on purpose: a caller that consumes before
   * its first await is the only one of any number of concurrent requests that gets it.
   */
  consume(candidate: string | null | undefined): boolean {
    if (!this.check(candidate)) return false;
    this.token = null;
    return true;
  }

  /** Give a consumed token back (its account could not be made), unless another was issued. */
  restore(token: string): void {
    this.token ??= token;
  }

  revoke(): void {
    this.token = null;
  }
}
