/**
 * The attention inbox over the socket API: list, acknowledge, answer (lib/ops/inbox.ts); and
 * the operator's chat connector: its status, and a test message (server/connectors/service.ts).
 */
import { z } from 'zod';
import { ackInput, actInput } from '@/lib/attention/contract.js';
import { FleetError } from '@/lib/errors.js';
import type { Router } from '../router.js';
import type { FleetServices } from '../services.js';
import type { FleetdParts } from './parts.js';

export function registerInboxRoutes(
  router: Router,
  { identity, inbox }: FleetServices,
  connector: FleetdParts['connector'],
): void {
  const noConnector = () =>
    new FleetError('BUSY', 'this fleetd runs no connector component (started without one)');
  router
    .post('/v1/inbox/list', z.strictObject({}), () => inbox.list())
    .post('/v1/inbox/ack', ackInput, async (i) => ({
      ...identity,
      item: await inbox.ack(i.id, i.by),
    }))
    .post('/v1/inbox/act', actInput, async ({ by, ...i }) => ({
      ...identity,
      ...(await inbox.act(i, by)),
    }))
    .post('/v1/connector/status', z.strictObject({}), async () => {
      if (!connector) throw noConnector();
      return { ...identity, ...(await connector.status()) };
    })
    .post('/v1/connector/test', z.strictObject({}), async () => {
      if (!connector) throw noConnector();
      return { ...identity, ...(await connector.test()) };
    });
}
