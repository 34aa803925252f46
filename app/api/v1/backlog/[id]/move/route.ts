/** POST /api/v1/backlog/:id/move { to, reason? } — a board move; only legal moves succeed (409 otherwise). */
import { cardRef, moveInput } from '@/lib/store/contract.js';
import { apiRoute, parseBody, parseInput } from '@/lib/web/route.js';
import { actorOf } from '@/lib/web/session.js';

export const dynamic = 'force-dynamic';

export function POST(req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  return apiRoute(req, 'backlog.write', async ({ services, user }) => {
    const { id } = parseInput({ id: (await ctx.params).id }, cardRef);
    const body = await parseBody(req, moveInput.omit({ id: true, actor: true }));
    return {
      ...services.identity,
      card: await services.backlog.move({ ...body, id, actor: actorOf(user) }),
    };
  });
}
