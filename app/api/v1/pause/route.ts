/** GET /api/v1/pause — PAUSE state; POST { paused, reason? } — pull or release PAUSE. */
import { z } from 'zod';
import { apiRoute, parseBody } from '@/lib/web/route.js';
import { actorOf } from '@/lib/web/session.js';

export const dynamic = 'force-dynamic';

const pauseBody = z.strictObject({
  paused: z.boolean(),
  reason: z.string().trim().min(1).max(2000).optional(),
});

export function GET(req: Request): Promise<Response> {
  return apiRoute(req, 'fleet.read', ({ services }) => services.pause.get());
}

export function POST(req: Request): Promise<Response> {
  return apiRoute(req, 'fleet.control', async ({ services, user }) => {
    const b = await parseBody(req, pauseBody);
    return services.pause.set({ ...b, by: actorOf(user) });
  });
}
