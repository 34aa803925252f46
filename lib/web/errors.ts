/**
 * Mapping errors to the panel's edges (HTTP status, action result) once. Errors thrown by
 * fleetd's services come from another bundle than the Next app's copy of lib/errors.ts, so
 * `instanceof` cannot be trusted here: the typed errors are recognised by their `code`.
 */
export interface ErrorInfo {
  code: string;
  message: string;
}

const STATUS: Record<string, number> = {
  USAGE: 400,
  ROSTER_INVALID: 422,
  FLOOR_VIOLATION: 422,
  NOT_FOUND: 404,
  AGENT_NOT_FOUND: 404,
  ROSTER_MISSING: 404,
  ROSTER_CONFLICT: 409,
  CONFLICT: 409,
  AGENT_EXISTS: 409,
  BUSY: 503,
  TIMEOUT: 504,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
};

/** A typed domain error (FleetError or a subclass) from any bundle. */
export function errorInfo(e: unknown): ErrorInfo | null {
  if (!(e instanceof Error)) return null;
  const code: unknown = (e as Error & { code?: unknown }).code;
  return typeof code === 'string' && /^[A-Z_]+$/.test(code) ? { code, message: e.message } : null;
}

export function statusFor(code: string): number {
  return STATUS[code] ?? 500;
}
