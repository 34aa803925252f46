import os from 'node:os';
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
  agents: PsRow[];
}

async function fleetBoot(deps: FleetDeps): Promise<BootStatus | null> {
  if (!deps.systemd) return null;
  const user = deps.env.USER || os.userInfo().username;
  return bootStatus(deps.systemd, unitNames(deps.loaded.roster.tmux.socket_name), user);
}

/** Gather `fleet ps`: one list-panes call, the boot check beside it, then files under run/. */
export async function gatherPs(deps: FleetDeps): Promise<FleetPs> {
  const roster = deps.loaded.roster;
  const [panes, boot] = await Promise.all([deps.tmux.listPanes(), fleetBoot(deps)]);
  const agents = rosterAgents(deps);
  const tenantId = roster.tenant_id ?? DEFAULT_TENANT;
  const rows = psRows({
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
    agents: rows,
  };
}
