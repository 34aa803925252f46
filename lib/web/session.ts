/**
 * The session check every page, server action and route handler makes first. Server side of
 * the Next app only (it reads the request's cookies).
 */
// Next refuses to bundle this for the browser: it reads the session or answers requests.
import 'server-only';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import type { SessionUser } from '../auth/auth.js';
import { getWebServices } from './services.js';

export async function currentUser(): Promise<SessionUser | null> {
  const s = await getWebServices().auth.api.getSession({ headers: await headers() });
  return s ? { id: s.user.id, email: s.user.email, name: s.user.name } : null;
}

/** For pages: the operator, or a redirect to /login that comes back here afterwards. */
export async function requirePageUser(returnTo: string): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect(`/login?next=${encodeURIComponent(returnTo)}`);
  return user;
}

/** The audit label of an operator's action (card events, takeover markers, PAUSE). */
export const actorOf = (u: SessionUser): string => `web:${u.email}`;
