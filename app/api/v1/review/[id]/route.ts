/**
 * GET /api/v1/review/:id — a card's review with its files and each file's diff;
 * POST { action: 'approve' } or { action: 'request_changes', comment } — the operator's verdict.
 */
import { z } from 'zod';
import { requestChangesInput, reviewRef } from '@/lib/review/contract.js';
import { apiRoute, parseBody, parseInput } from '@/lib/web/route.js';
import { actorOf } from '@/lib/web/session.js';

export const dynamic = 'force-dynamic';

type Ctx = { params: Promise<{ id: string }> };

const verdict = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('approve') }),
  z.strictObject({
    action: z.literal('request_changes'),
    comment: requestChangesInput.shape.comment,
  }),
]);

export function GET(req: Request, ctx: Ctx): Promise<Response> {
  return apiRoute(req, 'backlog.read', async ({ services }) => {
    const { id } = parseInput({ id: (await ctx.params).id }, reviewRef);
    return services.review.show({ id, diff: true });
  });
}

export function POST(req: Request, ctx: Ctx): Promise<Response> {
  return apiRoute(req, 'backlog.write', async ({ services, user }) => {
    const { id } = parseInput({ id: (await ctx.params).id }, reviewRef);
    const body = await parseBody(req, verdict);
    const by = actorOf(user);
    return body.action === 'approve'
      ? services.review.approve({ id, by })
      : services.review.requestChanges({ id, comment: body.comment, by });
  });
}
