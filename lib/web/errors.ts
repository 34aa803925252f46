/**
 * Mapping errors to the panel's edges (HTTP status, action result) once. Errors thrown by
 * fleetd's services come from another bundle than the Next app's copy of lib/errors.ts, so
 * `instanceof` cannot be trusted here: the typed errors are recognised by their `code`.
 */
import { httpStatusFor } from '../http-status.js';

export interface ErrorInfo {
  code: string;
  message: string;
}

/** A typed domain error (FleetError or a subclass) from any bundle. */
export function errorInfo(e: unknown): ErrorInfo | null {
  if (!(e instanceof Error)) return null;
  const code: unknown = (e as Error & { code?: unknown }).code;
  return typeof code === 'string' && /^[A-Z_]+$/.test(code) ? { code, message: e.message } : null;
}

/** The one map of lib/http-status.ts, shared with fleetd's socket API. */
export const statusFor = httpStatusFor;
