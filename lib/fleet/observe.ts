import { isNoServer, isNoSession } from '../tmux/client.js';
import { CommandError } from '../errors.js';
import { readHeartbeat, readHookStatus } from '../run/heartbeat.js';
import { ageSeconds, type HeartbeatRecord } from '../heartbeat/protocol.js';
import { heartbeatWriter, screenBeat } from '../heartbeat/screen-beat.js';
import { pidAlive } from '../launch/pid.js';
import { readLaunchState } from '../run/launch-state.js';
import { runningFleetd } from '../run/pidfile.js';
import type { RuntimeAdapter } from '../runtimes/types.js';
import { adapterFor } from '../launch/adapter.js';
import { readiness, type Readiness, type ScreenState } from '../readiness.js';
import type { ResolvedAgent } from '../roster/resolve.js';
import { classifyScreen } from '../screen.js';
import type { PaneView } from '../tmux/panes.js';
import type { FleetDeps } from './deps.js';

export interface AgentNow {
  view: PaneView | null;
  screen: ScreenState | null;
  readiness: Readiness;
}

/** Is this a "the session/server is not there" failure (as opposed to a broken tmux)? */
export function isGone(e: unknown): boolean {
  if (!(e instanceof CommandError)) return false;
  const r = { exitCode: e.exitCode, stdout: e.stdout, stderr: e.stderr, timedOut: false };
  return isNoSession(r) || isNoServer(r);
}

/**
 * One agent's readiness right now, with a fresh look at its screen (one tmux call). An agent
 * whose heartbeat is fleetd's to write from the screen, while no fleetd runs (agents started by
 * `fleet up` alone), is judged on this look by the same rule fleetd applies
 * (lib/heartbeat/screen-beat.ts), as a heartbeat written now: a send or a contract waiting for
 * it to be idle does not wait for a fleetd that is not there.
 */
export async function observeAgent(deps: FleetDeps, agent: ResolvedAgent): Promise<AgentNow> {
  let view: PaneView | null = null;
  try {
    view = await deps.tmux.view(agent.name);
  } catch (e) {
    if (!isGone(e)) throw e;
  }
  const adapter = adapterFor(agent);
  const now = deps.now();
  const hb =
    heartbeatWriter(adapter, agent) === 'fleetd' && runningFleetd(deps.home) === null
      ? lookNow(deps, agent.name, view, adapter, now)
      : readHeartbeat(deps.home, agent.name);
  const hook = readHookStatus(deps.home, agent.name);
  const screen = view && !view.dead ? classifyScreen(view.lines, adapter.screen) : null;
  const r = readiness({
    pane: !view ? 'missing' : view.dead ? 'dead' : 'alive',
    intervalSeconds: agent.heartbeatIntervalSeconds,
    epoch: view?.epoch ?? null,
    heartbeat: hb ? { ageSeconds: ageSeconds(hb, now), status: hb.status, epoch: hb.epoch } : null,
    hook: hook
      ? { ageSeconds: ageSeconds(hook, now), status: hook.status, epoch: hook.epoch }
      : null,
    hookAuthority: adapter.nativeState === 'hooks' ? 'exact' : 'hint',
    screen,
  });
  return { view, screen, readiness: r };
}

/** The heartbeat fleetd would write from this view now, or null when it would write none. */
function lookNow(
  deps: FleetDeps,
  name: string,
  view: PaneView | null,
  adapter: RuntimeAdapter,
  nowMs: number,
): HeartbeatRecord | null {
  const beat = screenBeat({
    listed: view,
    seen: view,
    pidAlive: view?.pid ? pidAlive(view.pid) : false,
    launchEpoch: readLaunchState(deps.home, name).epoch,
    current: readHeartbeat(deps.home, name),
    patterns: adapter.screen,
    nowMs,
  });
  return 'write' in beat ? beat.write : null;
}
