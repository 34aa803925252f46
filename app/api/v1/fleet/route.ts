/** GET /api/v1/fleet — the `fleet ps` view with PAUSE state (docs/api.md). */
import { apiRoute } from '@/lib/web/route.js';

export const dynamic = 'force-dynamic';

export function GET(req: Request): Promise<Response> {
  return apiRoute(req, 'fleet.read', ({ services }) => services.fleet.snapshot());
}
