/**
 * The JSON shapes of the panel's API (/api/v1/…, docs/api.md) and of its live views. Type-only
 * imports, so the browser bundle never pulls the fleet's server modules.
 */
import type { HostView } from '../fleet/hosts.js';
import type { PsRow } from '../fleet/ps.js';
import type { CardEventView, CardView, Identity } from '../store/contract.js';
import type { PauseView } from '../store/registry-contract.js';
import type { DrainView } from '../supervisor/drain.js';

/** One `fleet ps` row plus the last line the agent printed. */
export interface FleetRow extends PsRow {
  last_line: string | null;
}

export interface FleetSnapshot extends Identity {
  socket: string;
  pause: PauseView;
  /** while the fleet drains: what the drain still waits for (lib/ops/drain.ts) */
  drain: DrainView | null;
  boot_warning: string | null;
  /** why NORTH_STAR.yaml is not planned (it is invalid), or null */
  northstar_error: string | null;
  agents: FleetRow[];
  /** the fleet's other hosts from the register, each with its freshness and agents as last seen */
  other_hosts: HostView[];
  generated_at: string;
}

export interface AgentDetail extends Identity {
  row: FleetRow;
  /** the agent's roster entry as written (null for an unmanaged session) */
  roster: Record<string, unknown> | null;
  /** the last lines of the pane */
  tail: string;
  /** the contract the agent was launched with (run/<name>.contract.md), when there is one */
  contract: string | null;
}

export interface BacklogSnapshot extends Identity {
  cards: CardView[];
  generated_at: string;
}

export interface CardDetail extends Identity {
  card: CardView;
  events: CardEventView[];
}

/** The one error body of the panel's API: `{ error: { code, message } }` (as fleetd's API). */
export interface ApiError {
  error: { code: string; message: string };
}
