/** GET /api/v1/inbox — the attention inbox: open items newest first and the unacknowledged count (docs/api.md "Inbox"). */
import { apiRoute } from '@/lib/web/route.js';

export const dynamic = 'force-dynamic';

export function GET(req: Request): Promise<Response> {
  return apiRoute(req, 'fleet.read', ({ services }) => services.inbox.list());
}
