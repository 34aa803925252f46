/** GET /api/v1/agents/:name — one agent's row, roster entry and the last lines of its pane. */
import { agentName } from '@/lib/roster/schema.js';
import { apiRoute, parseInput } from '@/lib/web/route.js';

export const dynamic = 'force-dynamic';

export function GET(req: Request, ctx: { params: Promise<{ name: string }> }): Promise<Response> {
  return apiRoute(req, 'fleet.read', async ({ services }) =>
    services.fleet.agent(parseInput((await ctx.params).name, agentName)),
  );
}
