import os from 'node:os';
import { readBootStatus, writeBootStatus } from '../run/boot-status.js';
import { runningFleetd } from '../run/pidfile.js';
import { readHeartbeat, readHookStatus } from '../run/heartbeat.js';
import { readProcessArgv } from '../launch/detect.js';
import { readLaunchState } from '../run/launch-state.js';
import { DEFAULT_TENANT } from '../roster/resolve.js';
import { describeTakeover, readTakeover } from '../run/takeover.js';
import { bootStatus, type BootStatus } from '../systemd/systemctl.js';
import { unitNames } from '../systemd/units.js';
import type { FleetDeps } from '../fleet/deps.js';
import { rosterAgents } from './lifecycle.js';
import { psRows, type PsRow } from '../fleet/ps.js';

export interface FleetPs {
  tenant_id: string;
  host: string;
  socket: string;
  boot: BootStatus | null;
  /**
   * the fleetd running for this FLEET_HOME, null when none: it writes the heartbeat of every
   * agent whose runtime writes none (docs/runtimes.md "Heartbeats")
   */
  fleetd_pid: number | null;
  agents: PsRow[];
}

/** How long a boot check is reused: it costs three processes, and enablement rarely changes. */
const BOOT_FRESH_MS = 60_000;

/**
 * Whether the fleet comes back at boot (units enabled, linger), checked at most once a minute
 * (lib/run/boot-status.ts): `fleet ps` is called by agents and scripts all day, and each check
 * runs systemctl twice and loginctl once. Installing or removing the units forgets it.
 */
async function fleetBoot(deps: FleetDeps): Promise<BootStatus | null> {
  if (!deps.systemd) return null;
  const key = {
    user: deps.env.USER || os.userInfo().username,
    socket: deps.loaded.roster.tmux.socket_name,
  };
  const cached = readBootStatus(deps.home, key, deps.now(), BOOT_FRESH_MS);
  if (cached) return cached;
  const status = await bootStatus(deps.systemd, unitNames(key.socket), key.user);
  writeBootStatus(deps.home, key, deps.now(), status);
  return status;
}

/** Gather `fleet ps`: one list-panes call, the boot check beside it, then files under run/. */
export async function gatherPs(deps: FleetDeps): Promise<FleetPs> {
  const roster = deps.loaded.roster;
  const [panes, boot] = await Promise.all([deps.tmux.listPanes(), fleetBoot(deps)]);
  const agents = rosterAgents(deps);
  const tenantId = roster.tenant_id ?? DEFAULT_TENANT;
  const fleetd = runningFleetd(deps.home);
  const rows = psRows({
    fleetdRunning: fleetd !== null,
    agents,
    panes,
    holderSession: roster.tmux.holder_session,
    tenantId,
    host: deps.host,
    nowMs: deps.now(),
    facts: (name) => ({
      heartbeat: readHeartbeat(deps.home, name),
      hook: readHookStatus(deps.home, name),
      state: readLaunchState(deps.home, name),
      takeover: describeTakeover(readTakeover(deps.home, name, deps.host)),
    }),
    procArgv: readProcessArgv,
    boot,
  });
  return {
    tenant_id: tenantId,
    host: deps.host,
    socket: roster.tmux.socket_name,
    boot,
    fleetd_pid: fleetd,
    agents: rows,
  };
}
