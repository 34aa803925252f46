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

  consume(candidate: string | null | undefined): boolean {
    if (!this.check(candidate)) return false;
    this.token = null;
    return true;
  }

  revoke(): void {
    this.token = null;
  }
}
