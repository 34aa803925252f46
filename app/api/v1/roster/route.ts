/** GET /api/v1/roster — the roster's agents in form terms, the runtimes, and the hash edits must carry. */
import { apiRoute } from '@/lib/web/route.js';
import { rosterView } from '@/lib/ops/roster-view.js';

export const dynamic = 'force-dynamic';

export function GET(req: Request): Promise<Response> {
  return apiRoute(req, 'fleet.read', async ({ services }) => ({
    ...services.identity,
    ...rosterView(services.home.roster),
  }));
}
