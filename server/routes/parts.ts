/**
 * What the composition root (cli/serve.ts, or a test) adds to fleetd besides its own services:
 * long-running components, and the supervisor and user operations whose routes are in the one
 * route table (server/routes/index.ts).
 */
import type { UserOps } from '@/lib/web/services.js';
import type { Component } from '../maintenance.js';
import type { ConnectorService } from '../connectors/service.js';

export interface SupervisorControl {
  tickMs: number;
  last(): unknown;
  tick(): Promise<unknown>;
}

export interface FleetdParts {
  components: Component[];
  supervisor?: SupervisorControl;
  users?: UserOps;
  /** the operator's chat (server/connectors/service.ts) */
  connector?: Pick<ConnectorService, 'status' | 'test'>;
}
