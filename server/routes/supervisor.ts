/** What the supervisor did last, and one tick now. Absent supervisor: a clear refusal. */
import { z } from 'zod';
import { FleetError } from '@/lib/errors.js';
import type { Router } from '../router.js';
import type { FleetServices } from '../services.js';
import type { SupervisorControl } from './parts.js';

const notRunning = () =>
  new FleetError(
    'BUSY',
    'the supervisor is not running in this fleetd (it was started with --no-supervise)',
  );

export function registerSupervisorRoutes(
  router: Router,
  { identity, pause }: FleetServices,
  supervisor: SupervisorControl | undefined,
): void {
  router
    .post('/v1/supervisor/status', z.strictObject({}), async () => ({
      ...identity,
      running: supervisor !== undefined,
      pause: await pause.get(),
      last_tick: supervisor?.last() ?? null,
      tick_ms: supervisor?.tickMs ?? null,
    }))
    .post('/v1/supervisor/tick', z.strictObject({}), async () => {
      if (!supervisor) throw notRunning();
      return { ...identity, tick: await supervisor.tick() };
    });
}
