/**
 * fleetd's one route table: every path of the socket API (docs/fleetd-api.md) is registered
 * here, each module a group of routes over the services and parts it is given.
 */
import type { Router } from '../router.js';
import type { FleetServices } from '../services.js';
import { registerBacklogRoutes } from './backlog.js';
import { registerFleetRoutes } from './fleet.js';
import { registerInboxRoutes } from './inbox.js';
import type { FleetdParts } from './parts.js';
import { registerRelayRoutes } from './relay.js';
import { registerReviewRoutes } from './review.js';
import { registerSupervisorRoutes } from './supervisor.js';
import { registerSystemRoutes } from './system.js';
import { registerTimelineRoutes } from './timeline.js';
import { registerUserRoutes } from './users.js';

export function registerRoutes(
  router: Router,
  services: FleetServices,
  parts: Omit<FleetdParts, 'components'> = {},
): void {
  registerSystemRoutes(router, services);
  registerBacklogRoutes(router, services);
  registerFleetRoutes(router, services);
  registerInboxRoutes(router, services, parts.connector);
  registerRelayRoutes(router, services);
  registerReviewRoutes(router, services);
  registerTimelineRoutes(router, services);
  registerSupervisorRoutes(router, services, parts.supervisor);
  registerUserRoutes(router, services, parts.users);
}
