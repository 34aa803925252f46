/**
 * What a signed-in operator may do. Today every operator account is an administrator of its
 * fleet; the seam exists so that a read-only role can be added in one place, and every server
 * action and API route already asks it.
 */
import type { SessionUser } from '../auth/auth.js';

export type Permission =
  'fleet.read' | 'fleet.control' | 'roster.write' | 'backlog.read' | 'backlog.write';

export function authorize(user: SessionUser | null, _permission: Permission): user is SessionUser {
  return user !== null;
}
