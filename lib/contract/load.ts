import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { AgentNotFound, FleetError } from '../errors.js';
import type { FleetHome } from '../home.js';
import { loadRoles } from '../library/roles.js';
import { loadNorthStar } from '../northstar/load.js';
import type { NorthStar } from '../northstar/schema.js';
import { loadRoster, type LoadedRoster } from '../roster/load.js';
import type { ContractInput } from './compose.js';
import { contractFleet, type ContractFleet } from './fleet.js';
import type { Overlay } from './overlays.js';

/**
 * Reads what a contract is composed from, all of it files in FLEET_HOME (no fleetd, no tmux,
 * no network): the roster, the persona library (shipped roles with the operator's own winning),
 * NORTH_STAR.yaml when there is one, and the operator overlays. The composing is pure
 * (lib/contract/compose.ts).
 */
export interface LoadOptions {
  /** the host this view is for; agents without `host:` run there (default: this machine) */
  host?: string;
  /** the roster already loaded by the caller (a launch), instead of reading roster.yaml again */
  loaded?: LoadedRoster;
}

export function loadContractFleet(home: FleetHome, opts: LoadOptions = {}): ContractFleet {
  return contractFleet(opts.loaded ?? loadRoster(home.roster), opts.host ?? os.hostname());
}

function readOverlay(file: string): Overlay | null {
  try {
    return { file, text: readFileSync(file, 'utf8') };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

export function loadContractInput(
  home: FleetHome,
  agent: string,
  opts: LoadOptions = {},
): ContractInput {
  const fleet = loadContractFleet(home, opts);
  // a name that is not in the roster never becomes a path
  if (!fleet.agents.some((a) => a.name === agent))
    throw new AgentNotFound(
      agent,
      fleet.agents.map((a) => a.name),
    );
  return {
    agent,
    fleet,
    roles: loadRoles(home.rolesDir),
    northStar: validNorthStar(home.northStar),
    overlays: { all: readOverlay(home.overlayAll), agent: readOverlay(home.overlay(agent)) },
  };
}

/**
 * The mission, when NORTH_STAR.yaml is there and valid. An invalid file stops nothing: fleetd
 * reports it (fleet ps, the panel, the orchestrator) and agents launch without the mission
 * until it is fixed (docs/contract.md).
 */
function validNorthStar(file: string): NorthStar | null {
  if (!existsSync(file)) return null;
  try {
    return loadNorthStar(file);
  } catch (e) {
    if (e instanceof FleetError && e.code === 'NORTHSTAR_INVALID') return null;
    throw e;
  }
}
