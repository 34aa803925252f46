/** GET /api/v1/review — the cards in review, oldest first, with their changed files (no patches). */
import { apiRoute } from '@/lib/web/route.js';

export const dynamic = 'force-dynamic';

export function GET(req: Request): Promise<Response> {
  return apiRoute(req, 'backlog.read', async ({ services }) => ({
    ...services.identity,
    reviews: await services.review.list(),
    generated_at: new Date().toISOString(),
  }));
}
