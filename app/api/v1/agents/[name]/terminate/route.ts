/** POST /api/v1/agents/:name/terminate — stop the agent on purpose (it stays down until started). */
import { agentName } from '@/lib/roster/schema.js';
import { apiRoute, parseInput } from '@/lib/web/route.js';
import { actorOf } from '@/lib/web/session.js';

export const dynamic = 'force-dynamic';

export function POST(req: Request, ctx: { params: Promise<{ name: string }> }): Promise<Response> {
  return apiRoute(req, 'fleet.control', async ({ services, user }) =>
    services.fleet.terminate(parseInput((await ctx.params).name, agentName), actorOf(user)),
  );
}
