import { northStarProblem } from '../northstar/load.js';
import { readPauseFile, type PauseFile } from '../run/pause.js';
import type { FleetDeps } from '../fleet/deps.js';
import { buildFleetDeps } from '../fleet/build-deps.js';
import { hostViews, type HostView, type RegisterRecords } from '../fleet/hosts.js';
import { psScope, sameScope, type PsScope } from '../fleet/ps-scope.js';
import type { FleetHome } from '../home.js';
import { loadRoster } from '../roster/load.js';
import { gatherPs, type FleetPs } from './snapshot.js';

/**
 * `fleet ps` as one operation: this host's rows from tmux and run/, the rows of roster agents
 * that run on another host from the register, PAUSE as run/PAUSED says, and what is wrong with
 * NORTH_STAR.yaml. fleetd answers it on `/v1/fleet/ps` (warm, so an agent's `fleet ps` costs a
 * socket round trip), and the CLI gathers it itself when no fleetd serves its tmux server
 * (docs/architecture.md "Operations").
 */
export interface PsView extends FleetPs {
  paused: ({ paused: true } & PauseFile) | { paused: false };
  northstar_error: string | null;
  /** the flag shown beside each row that comes from another host, for the table */
  notes: Record<string, string>;
}

export async function psView(
  deps: FleetDeps,
  hosts: () => Promise<HostView[] | null>,
): Promise<PsView> {
  const ps = await gatherPs(deps);
  const notes = await fromRegister(ps, hosts);
  const pause = readPauseFile(deps.home);
  return {
    ...ps,
    paused: pause ? { paused: true, ...pause } : { paused: false },
    northstar_error: northStarProblem(deps.home.northStar),
    notes: Object.fromEntries(notes),
  };
}

/**
 * Roster agents that run on another host are not in this host's tmux: their rows come from the
 * register (docs/architecture.md "The register"), flagged with their host, or say why not.
 * Returns the flag of each such row; `ps.agents` is updated in place.
 */
async function fromRegister(
  ps: FleetPs,
  hosts: () => Promise<HostView[] | null>,
): Promise<Map<string, string>> {
  const notes = new Map<string, string>();
  const remote = ps.agents.filter((r) => r.host !== ps.host);
  if (!remote.length) return notes;
  const known = await hosts();
  ps.agents = ps.agents.map((r) => {
    if (r.host === ps.host) return r;
    const h = known?.find((x) => x.host === r.host);
    const seen = h?.agents.find((a) => a.name === r.name);
    if (!known) notes.set(r.name, `@${r.host}(not known here: fleetd is not running)`);
    else if (!seen) notes.set(r.name, `@${r.host}(not in the register)`);
    else notes.set(r.name, h!.reachable ? `@${r.host}` : `@${r.host}(UNREACHABLE: last known)`);
    if (!seen) return r;
    const { class: _class, ...row } = seen;
    return row;
  });
  return notes;
}

/**
 * fleetd's side: the same view, gathered with fleetd's own roster reading and environment, for
 * a caller whose host and tmux server are fleetd's (else null: the caller gathers its own).
 */
export function fleetdPs(o: {
  home: FleetHome;
  env: NodeJS.ProcessEnv;
  host: string;
  log(line: string): void;
  register: { all(): Promise<RegisterRecords> };
}): (scope: PsScope) => Promise<PsView | null> {
  const own = psScope(o.env, o.host);
  return async (scope) => {
    if (!sameScope(scope, own)) return null;
    const deps = buildFleetDeps({
      home: o.home,
      loaded: loadRoster(o.home.roster),
      env: o.env,
      log: o.log,
      host: o.host,
    });
    return psView(deps, async () => {
      try {
        return hostViews(await o.register.all(), o.host);
      } catch {
        return null;
      }
    });
  };
}
