import { isNoServer, isNoSession } from '../tmux/client.js';
import { CommandError } from '../errors.js';
import { readHeartbeat, readHookStatus } from '../run/heartbeat.js';
import { ageSeconds } from '../heartbeat/protocol.js';
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

/** One agent's readiness right now, with a fresh look at its screen (one tmux call). */
export async function observeAgent(deps: FleetDeps, agent: ResolvedAgent): Promise<AgentNow> {
  let view: PaneView | null = null;
  try {
    view = await deps.tmux.view(agent.name);
  } catch (e) {
    if (!isGone(e)) throw e;
  }
  const adapter = adapterFor(agent);
  const now = deps.now();
  const hb = readHeartbeat(deps.home, agent.name);
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
