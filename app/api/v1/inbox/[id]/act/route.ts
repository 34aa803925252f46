/** POST /api/v1/inbox/:id/act { action, text? } — answer an item with one of its actions. */
import { actBody, itemRef } from '@/lib/attention/contract.js';
import { apiRoute, parseBody, parseInput } from '@/lib/web/route.js';
import { actorOf } from '@/lib/web/session.js';

export const dynamic = 'force-dynamic';

export function POST(req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  return apiRoute(req, 'fleet.control', async ({ services, user }) => {
    const { id } = parseInput({ id: (await ctx.params).id }, itemRef);
    const body = await parseBody(req, actBody);
    return services.inbox.act({ ...body, id }, actorOf(user));
  });
}
