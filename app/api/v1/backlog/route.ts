/** GET /api/v1/backlog?status=&phase=&class=&ready_only=&failed_only= — cards; POST — create a card. */
import { createCardInput, listCardsInput } from '@/lib/store/contract.js';
import { apiRoute, parseBody, parseInput } from '@/lib/web/route.js';
import { actorOf } from '@/lib/web/session.js';

export const dynamic = 'force-dynamic';

function listQuery(url: URL): Record<string, unknown> {
  const q: Record<string, unknown> = {};
  for (const key of ['status', 'phase', 'class'] as const) {
    const v = url.searchParams.get(key);
    if (v) q[key] = v;
  }
  for (const flag of ['ready_only', 'failed_only'] as const)
    if (url.searchParams.get(flag) === 'true') q[flag] = true;
  const limit = url.searchParams.get('limit');
  if (limit) q.limit = Number(limit);
  return q;
}

export function GET(req: Request): Promise<Response> {
  return apiRoute(req, 'backlog.read', async ({ services }) => {
    const cards = await services.backlog.list(
      parseInput(listQuery(new URL(req.url)), listCardsInput),
    );
    return { ...services.identity, cards, generated_at: new Date().toISOString() };
  });
}

export function POST(req: Request): Promise<Response> {
  return apiRoute(req, 'backlog.write', async ({ services, user }) => {
    const input = await parseBody(req, createCardInput.omit({ actor: true }));
    return {
      ...services.identity,
      ...(await services.backlog.create({ ...input, actor: actorOf(user) })),
    };
  });
}
