/** POST /api/v1/backlog/:id/links { depends_on } — add a dependency; DELETE with the same body removes it. */
import { cardRef, linkInput } from '@/lib/store/contract.js';
import { apiRoute, parseBody, parseInput } from '@/lib/web/route.js';
import { actorOf } from '@/lib/web/session.js';

export const dynamic = 'force-dynamic';

type Ctx = { params: Promise<{ id: string }> };
const body = linkInput.omit({ id: true, actor: true });

export function POST(req: Request, ctx: Ctx): Promise<Response> {
  return apiRoute(req, 'backlog.write', async ({ services, user }) => {
    const { id } = parseInput({ id: (await ctx.params).id }, cardRef);
    const b = await parseBody(req, body);
    return {
      ...services.identity,
      card: await services.backlog.link({ ...b, id, actor: actorOf(user) }),
    };
  });
}

export function DELETE(req: Request, ctx: Ctx): Promise<Response> {
  return apiRoute(req, 'backlog.write', async ({ services, user }) => {
    const { id } = parseInput({ id: (await ctx.params).id }, cardRef);
    const b = await parseBody(req, body);
    return {
      ...services.identity,
      card: await services.backlog.unlink({ ...b, id, actor: actorOf(user) }),
    };
  });
}
