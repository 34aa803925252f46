/**
 * GET /api/v1/agents/:name/timeline?since=&until= — who did what: the cards the agent worked,
 * its waits for a human, its starts and takeovers (lib/ops/timeline.ts). Times are ISO 8601;
 * the default window is the last 24 hours.
 */
import { timelineInput } from '@/lib/timeline/contract.js';
import { apiRoute, parseInput } from '@/lib/web/route.js';

export const dynamic = 'force-dynamic';

export function GET(req: Request, ctx: { params: Promise<{ name: string }> }): Promise<Response> {
  return apiRoute(req, 'fleet.read', async ({ services }) => {
    const q = new URL(req.url).searchParams;
    const input = parseInput(
      {
        name: (await ctx.params).name,
        ...(q.get('since') ? { since: q.get('since') } : {}),
        ...(q.get('until') ? { until: q.get('until') } : {}),
      },
      timelineInput,
    );
    return services.timeline.timeline(input);
  });
}
