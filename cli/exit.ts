import { FleetError, type ErrorCode } from '../lib/errors.js';
import type { CliContext } from './context.js';

/**
 * One mapping from domain error to exit code, used only at the CLI entry. It is the table in
 * README.md ("CLI reference"): keep the two the same. 9 is unused (it was CONFLICT before
 * conflicts joined 4); anything not listed exits 1.
 */
const codes: Partial<Record<ErrorCode, number>> = {
  USAGE: 2,
  ROSTER_INVALID: 3,
  ROSTER_MISSING: 3,
  // conflict/exists: a stale fence, a cycle, an account or agent that is already there
  ROSTER_CONFLICT: 4,
  ROSTER_EXISTS: 4,
  AGENT_EXISTS: 4,
  CONFLICT: 4,
  FLOOR_VIOLATION: 5,
  AGENT_NOT_FOUND: 6,
  NOT_FOUND: 6,
  FLEETD_DOWN: 7,
  STORE_LOCKED: 8,
  BUSY: 10,
  TIMEOUT: 11,
  STORE_UNAVAILABLE: 12,
};

export function exitCodeFor(e: unknown): number {
  if (e instanceof FleetError) return codes[e.code] ?? 1;
  return 1;
}

export function messageFor(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}

/** The exit code a command set while it ran (0 when it set none). */
export const exitCode = (): number => (typeof process.exitCode === 'number' ? process.exitCode : 0);

/** A command that threw: its message on stderr (the stack with FLEET_DEBUG), and its exit code. */
export function failed(ctx: CliContext, e: unknown): number {
  ctx.err(`fleet: ${messageFor(e)}`);
  if (process.env.FLEET_DEBUG && e instanceof Error) ctx.err(e.stack ?? '');
  return exitCodeFor(e);
}
