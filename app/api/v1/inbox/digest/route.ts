/**
 * GET /api/v1/inbox/digest — "since you were last here" for the signed-in operator, which also
 * records this visit as their last.
 */
import { apiRoute, jsonError } from '@/lib/web/route.js';

export const dynamic = 'force-dynamic';

/**
 * Reads are not origin-checked (docs/security.md "Other pages on this host"), but this one moves
 * the operator's visit mark: a page on another port, which gets the cookie (same site), must not
 * be able to reset it. Browsers say where a request comes from; scripts send no Sec-Fetch-Site.
 */
function foreignSite(req: Request): string | null {
  const site = req.headers.get('sec-fetch-site');
  return site !== null && site !== 'same-origin' && site !== 'none' ? site : null;
}

export function GET(req: Request): Promise<Response> {
  const site = foreignSite(req);
  if (site) {
    return Promise.resolve(
      jsonError(403, 'FORBIDDEN_ORIGIN', `a ${site} request may not record a visit`),
    );
  }
  return apiRoute(req, 'fleet.read', ({ services, user }) => services.inbox.digest(user.id));
}
