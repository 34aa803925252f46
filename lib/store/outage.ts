/**
 * PostgreSQL going away mid-run (docs/pitfalls.md "PostgreSQL goes away"): which errors mean the
 * store cannot be reached rather than that a statement was wrong, the one error every edge shows
 * for it, and the watch that says so in fleetd's log once per outage instead of once per tick
 * per component.
 */
import { FleetError } from '../errors.js';

/** Socket errors of a connection that could not be made or was cut. */
const NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * SQLSTATEs of a server that is going or not there yet: class 08 (connection exception),
 * admin and crash shutdown, "the database system is starting up / shutting down".
 */
const SERVER_GOING = /^(08...|57P0[123])$/;

/** What node-postgres says when a connection ends under a client, or a dead client is used. */
const DRIVER_MESSAGES = /^(Connection terminated|Client has encountered a connection error)/;

/**
 * The error, among `e` and its causes (drizzle wraps every driver error in "Failed query: …"),
 * that says the store cannot be reached; null when `e` is about something else.
 */
export function unreachableCause(e: unknown): Error | null {
  for (let cur = e, depth = 0; cur instanceof Error && depth < 8; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || SERVER_GOING.test(code)))
      return cur;
    if (DRIVER_MESSAGES.test(cur.message)) return cur;
    cur = cur.cause;
  }
  return null;
}

/** The first line of an error's message, for a one-line report. */
function firstLine(e: Error): string {
  return (e.message.split('\n')[0] ?? '').trim() || e.name;
}

/** A store call failed because PostgreSQL cannot be reached; the cause is kept. */
export class StoreUnavailable extends FleetError {
  readonly location: string;
  constructor(location: string, reason: string, options?: { cause?: unknown }) {
    super(
      'STORE_UNAVAILABLE',
      `the store is unreachable (PostgreSQL at ${location}: ${reason}); ` +
        'fleetd keeps the agents running and reconnects by itself — try again shortly',
      options,
    );
    this.location = location;
  }
}

/**
 * Whether the store is reachable, as the calls that failed and the connections that were made
 * tell it. The first failure of an outage is logged, and the first connection after it.
 */
export class OutageWatch {
  private since: number | null = null;

  constructor(
    private readonly location: string,
    private readonly log: (line: string) => void,
    private readonly now: () => number = Date.now,
  ) {}

  get down(): boolean {
    return this.since !== null;
  }

  /** `e` as a StoreUnavailable when it means the store cannot be reached, else null. */
  check(e: unknown): StoreUnavailable | null {
    if (e instanceof StoreUnavailable) return e;
    const cause = unreachableCause(e);
    if (!cause) return null;
    const reason = firstLine(cause);
    if (this.since === null) {
      this.since = this.now();
      this.log(
        `store: PostgreSQL at ${this.location} is unreachable (${reason}); ` +
          'the agents keep running, store calls fail until it is back, fleetd reconnects by itself',
      );
    }
    return new StoreUnavailable(this.location, reason, { cause: e });
  }

  /** A connection to the store was made: an outage, if there was one, is over. */
  reached(): void {
    if (this.since === null) return;
    const seconds = Math.round((this.now() - this.since) / 1000);
    this.since = null;
    this.log(`store: PostgreSQL at ${this.location} is reachable again (after ${seconds} s)`);
  }
}
