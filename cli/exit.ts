import { FleetError, type ErrorCode } from '../lib/errors.js';

/** One mapping from domain error to exit code, used only at the CLI entry. */
const codes: Partial<Record<ErrorCode, number>> = {
  USAGE: 2,
  ROSTER_INVALID: 3,
  ROSTER_MISSING: 3,
  ROSTER_CONFLICT: 4,
  ROSTER_EXISTS: 4,
  FLOOR_VIOLATION: 5,
  AGENT_NOT_FOUND: 6,
  AGENT_EXISTS: 6,
  NOT_FOUND: 6,
  FLEETD_DOWN: 7,
  STORE_LOCKED: 8,
  CONFLICT: 9,
  BUSY: 10,
  TIMEOUT: 11,
};

export function exitCodeFor(e: unknown): number {
  if (e instanceof FleetError) return codes[e.code] ?? 1;
  return 1;
}

export function messageFor(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
