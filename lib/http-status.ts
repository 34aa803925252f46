/**
 * The one map from a domain error code to an HTTP status, for fleetd's socket API and the web
 * panel's JSON API alike (the CLI maps the same codes to exit codes in cli/exit.ts). Complete
 * by type: a new ErrorCode does not compile until it has a status here.
 */
import type { ErrorCode } from './errors.js';

export const HTTP_STATUS: Readonly<Record<ErrorCode, number>> = {
  USAGE: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  AGENT_NOT_FOUND: 404,
  ROSTER_MISSING: 404,
  CONFLICT: 409,
  AGENT_EXISTS: 409,
  ROSTER_CONFLICT: 409,
  ROSTER_EXISTS: 409,
  ROSTER_INVALID: 422,
  FLOOR_VIOLATION: 422,
  LIBRARY_INVALID: 422,
  NORTHSTAR_INVALID: 422,
  STORE_LOCKED: 423,
  STORE_UNAVAILABLE: 503,
  COMMAND_FAILED: 500,
  FLEETD_DOWN: 503,
  BUSY: 503,
  TIMEOUT: 504,
};

/** The status of a code from any bundle (errors crossing into Next are matched by code). */
export function httpStatusFor(code: string): number {
  return Object.hasOwn(HTTP_STATUS, code) ? HTTP_STATUS[code as ErrorCode] : 500;
}
