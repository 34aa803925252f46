/**
 * Sign-in through the auth library, behind the failed-attempt limits of lib/auth/throttle.ts:
 * a client that has guessed wrong too often, for one account or from one address, gets a 429
 * with Retry-After and the library never sees the guess (docs/security.md "Sign-in").
 */
// Next refuses to bundle this for the browser: it reads the session or answers requests.
import 'server-only';
import { CLIENT_ADDRESS_HEADER, type FleetAuth } from '../auth/auth.js';
import type { SignInThrottle } from '../auth/throttle.js';
import { jsonError } from './route.js';

async function emailOf(req: Request): Promise<string> {
  const body: unknown = await req
    .clone()
    .json()
    .catch(() => null);
  const email = (body as { email?: unknown } | null)?.email;
  return typeof email === 'string' ? email.slice(0, 320) : '';
}

export async function signIn(
  req: Request,
  auth: FleetAuth,
  throttle: SignInThrottle,
): Promise<Response> {
  const email = await emailOf(req);
  const address = req.headers.get(CLIENT_ADDRESS_HEADER) ?? 'unknown';
  const wait = throttle.retryAfter(email, address);
  if (wait > 0) {
    const res = jsonError(429, 'RATE_LIMITED', `too many failed sign-ins; try again in ${wait} s`);
    res.headers.set('retry-after', String(wait));
    return res;
  }
  const res = await auth.handler(req);
  if (res.status === 401 || res.status === 403) throttle.fail(email, address);
  else if (res.ok) throttle.succeed(email);
  return res;
}
