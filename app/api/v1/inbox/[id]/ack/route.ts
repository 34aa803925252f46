/** POST /api/v1/inbox/:id/ack — acknowledge an item: it stays open, marked, and leaves the count. */
import { itemRef } from '@/lib/attention/contract.js';
import { apiRoute, parseInput } from '@/lib/web/route.js';
import { actorOf } from '@/lib/web/session.js';

export const dynamic = 'force-dynamic';

export function POST(req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  return apiRoute(req, 'fleet.control', async ({ services, user }) => {
    // the body carries nothing: the item is in the path
    const { id } = parseInput({ id: (await ctx.params).id }, itemRef);
    return services.inbox.ack(id, actorOf(user));
  });
}
