import { relayGetInput, relayLifecycleInput, relaySendInput } from '@/lib/ops/relay.js';
import { FleetError } from '@/lib/errors.js';
import type { Router } from '../router.js';
import type { FleetServices } from '../services.js';

/**
 * Acting on an agent on any host (docs/architecture.md "The relay"): here at once, or kept in
 * the store for its host's fleetd and answered with that host's result or `pending`.
 */
export function registerRelayRoutes(router: Router, { relay, identity }: FleetServices): void {
  router
    .post('/v1/relay/send', relaySendInput, async ({ address, id, ...payload }) => ({
      ...identity,
      ...(await relay.submit(address, { kind: 'send', payload }, { id })),
    }))
    .post('/v1/relay/restart', relayLifecycleInput, async ({ address, id }) => ({
      ...identity,
      ...(await relay.submit(address, { kind: 'restart', payload: {} }, { id })),
    }))
    .post('/v1/relay/terminate', relayLifecycleInput, async ({ address, id }) => ({
      ...identity,
      ...(await relay.submit(address, { kind: 'terminate', payload: {} }, { id })),
    }))
    .post('/v1/relay/get', relayGetInput, async ({ id }) => {
      const command = await relay.get(id);
      if (!command) throw new FleetError('NOT_FOUND', `no relay command ${id}`);
      return { ...identity, command };
    });
}
