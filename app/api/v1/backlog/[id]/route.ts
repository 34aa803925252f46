/** GET /api/v1/backlog/:id — a card and its events; PATCH — edit its fields. */
import { cardRef, updateCardInput } from '@/lib/store/contract.js';
import { apiRoute, parseBody, parseInput } from '@/lib/web/route.js';
import { actorOf } from '@/lib/web/session.js';

export const dynamic = 'force-dynamic';

type Ctx = { params: Promise<{ id: string }> };

export function GET(req: Request, ctx: Ctx): Promise<Response> {
  return apiRoute(req, 'backlog.read', async ({ services }) => {
    const { id } = parseInput({ id: (await ctx.params).id }, cardRef);
    return { ...services.identity, ...(await services.backlog.show(id)) };
  });
}

export function PATCH(req: Request, ctx: Ctx): Promise<Response> {
  return apiRoute(req, 'backlog.write', async ({ services, user }) => {
    const { id } = parseInput({ id: (await ctx.params).id }, cardRef);
    const body = await parseBody(req, updateCardInput.omit({ id: true, actor: true }));
    return {
      ...services.identity,
      card: await services.backlog.update({ ...body, id, actor: actorOf(user) }),
    };
  });
}
