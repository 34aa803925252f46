/** GET /api/v1/agents — one row per agent (roster agents and unmanaged sessions). */
import { apiRoute } from '@/lib/web/route.js';

export const dynamic = 'force-dynamic';

export function GET(req: Request): Promise<Response> {
  return apiRoute(req, 'fleet.read', async ({ services }) => {
    const s = await services.fleet.snapshot();
    return { tenant_id: s.tenant_id, host: s.host, agents: s.agents };
  });
}
