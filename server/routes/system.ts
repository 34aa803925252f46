import { z } from 'zod';
import type { Router } from '../router.js';
import type { FleetServices } from '../services.js';

/** Health and human store access. */
export function registerSystemRoutes(router: Router, s: FleetServices): void {
  router
    .get('/v1/health', () => ({
      ok: true,
      ...s.identity,
      pid: process.pid,
      version: s.version,
      store: { kind: s.store.kind, location: s.store.location },
      started_at: s.startedAt.toISOString(),
      uptime_seconds: Math.round((Date.now() - s.startedAt.getTime()) / 1000),
    }))
    .post(
      '/v1/db/expose',
      z.strictObject({
        port: z.int().min(1024).max(65535).optional(),
        idle_seconds: z.int().min(1).max(86_400).optional(),
      }),
      async (i) => ({
        ...s.identity,
        ...(await s.store.exposer.expose({ port: i.port, idleSeconds: i.idle_seconds })),
      }),
    )
    .post('/v1/db/close', z.strictObject({}), async () => ({
      ...s.identity,
      closed: await s.store.exposer.close(),
    }));
}
