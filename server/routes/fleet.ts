import { z } from 'zod';
import * as r from '@/lib/store/registry-contract.js';
import { hostViews } from '@/lib/fleet/hosts.js';
import type { Router } from '../router.js';
import type { FleetServices } from '../services.js';

/** The register's hosts, flags and PAUSE: the rows every host's fleetd and panel share. */
export function registerFleetRoutes(
  router: Router,
  { flags, identity, pause, drain, register, ps }: FleetServices,
): void {
  const id = identity;
  router
    // every host of the tenant from the register, unreachable ones with their last known agents
    .post('/v1/fleet/hosts', z.strictObject({}), async () => ({
      ...id,
      hosts: hostViews(await register.all(), id.host),
    }))
    // `fleet ps` gathered here, warm: an agent's call costs a round trip (lib/ops/ps-view.ts)
    .post('/v1/fleet/ps', r.psInput, async (i) => ({ ...id, ps: await ps(i) }))
    .post('/v1/flags/get', r.getFlagInput, async (i) => ({ ...id, flag: await flags.get(i.name) }))
    .post('/v1/flags/set', r.setFlagInput, async (i) => ({ ...id, flag: await flags.set(i) }))
    .post('/v1/pause/get', z.strictObject({}), () => pause.get())
    .post('/v1/pause/set', r.setPauseInput, (i) => pause.set(i))
    // drain: PAUSE while every agent finishes its turn (lib/ops/drain.ts)
    .post('/v1/drain/start', r.drainInput, (i) => drain.start(i))
    .post('/v1/drain/status', z.strictObject({}), () => drain.status());
}
