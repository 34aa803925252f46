/**
 * Watching and taking over an agent, one home for `fleet agent watch|attach` and the panel's
 * terminal bridge (docs/architecture.md "Operations"):
 *
 * - `openView` checks the session, pins the agent's window to `window-size manual` (without it
 *   any client, even read-only, resizes a headless window: docs/pitfalls.md "window-size
 *   manual"), reads the window's size, and builds the tmux client's argv. Watch is the same
 *   client everywhere: `attach -f read-only,ignore-size`. A takeover from the browser is scoped
 *   to the agent's one pane (a private grouped session without prefix or key bindings,
 *   lib/tmux/takeover.ts); one from the operator's own terminal is a full client, since that
 *   operator already has a shell on the host (docs/security.md "Terminals").
 * - `holdTakeover` writes the marker that makes automated sends queue; `releaseTakeover`
 *   clears it and delivers what queued meanwhile, whichever edge held it. Both tell the agent's
 *   timeline (lib/ops/timeline.ts), which never fails them.
 */
import os from 'node:os';
import { AgentNotFound, FleetError } from '../errors.js';
import type { FleetDeps } from '../fleet/deps.js';
import { rosterAgents } from './lifecycle.js';
import { isAgentName } from '../names.js';
import { drainQueue, type SendReceipt } from '../send/deliver.js';
import {
  clearTakeover,
  describeTakeover,
  readTakeover,
  writeTakeover,
  type Takeover,
} from '../run/takeover.js';
import { paneTarget } from '../tmux/argv.js';
import { takeoverSessionName } from '../tmux/takeover.js';
import { noteAgentEvent } from './timeline.js';

export type ViewMode = 'watch' | 'takeover';

/** Who types in a takeover: a browser (scoped to the pane) or the operator's own terminal. */
export type ViewScope = 'pane' | 'client';

export interface View {
  argv: string[];
  /** the window's size plus tmux's status line(s): what the client must draw */
  cols: number;
  rows: number;
  /** a browser takeover's private tmux session; null otherwise */
  privateSession: string | null;
  /** after the client is gone: end the private session (tmux also does, once unattached) */
  release(): Promise<void>;
}

/** The session must exist (a roster agent or an unmanaged session on the fleet's socket). */
async function requireSession(deps: FleetDeps, name: string): Promise<void> {
  const roster = deps.loaded.roster;
  const known = roster.agents.map((a) => a.name);
  if (name === roster.tmux.holder_session) throw new AgentNotFound(name, known);
  const panes = await deps.tmux.listPanes();
  if (panes.some((p) => p.session === name)) return;
  if (known.includes(name)) {
    throw new FleetError(
      'NOT_FOUND',
      `agent ${name} has no session on socket ${roster.tmux.socket_name} (fleet up ${name})`,
    );
  }
  throw new AgentNotFound(name, known);
}

export async function openView(
  deps: FleetDeps,
  name: string,
  mode: ViewMode,
  scope: ViewScope,
): Promise<View> {
  await requireSession(deps, name);
  const tmux = deps.tmux;
  await tmux.run([['set-option', '-w', '-t', paneTarget(name), 'window-size', 'manual']]);
  const [w, h, status] = (
    await tmux.displayMessage(name, '#{window_width} #{window_height} #{status}')
  ).split(' ');
  const statusRows = status === 'off' ? 0 : status === 'on' ? 1 : Number(status) || 0;
  const size = { cols: Number(w) || 80, rows: Number(h) + statusRows || 24 };
  const none = { privateSession: null, release: () => Promise.resolve() };
  if (mode === 'watch') return { ...size, ...none, argv: tmux.attachArgv(name, 'watch') };
  if (scope === 'client') return { ...size, ...none, argv: tmux.attachArgv(name, 'attach') };
  // a private session's name is derived from the agent's: only plain agent names get one
  if (!isAgentName(name))
    throw new AgentNotFound(
      name,
      deps.loaded.roster.agents.map((a) => a.name),
    );
  await tmux.clearStaleTakeovers(name);
  const session = takeoverSessionName(name);
  return {
    ...size,
    argv: tmux.takeoverArgv({ agent: name, session, status }),
    privateSession: session,
    release: async () => {
      await tmux.killTakeoverSession(session);
    },
  };
}

/** Mark an agent as taken over by `who` (pid of the client's holder): sends queue meanwhile. */
export function holdTakeover(deps: FleetDeps, name: string, who: string, pid: number): Takeover {
  const host = deps.host || os.hostname();
  const current = readTakeover(deps.home, name, host);
  if (current && current.pid !== pid) {
    throw new FleetError(
      'CONFLICT',
      `${name} is already taken over by ${describeTakeover(current) ?? 'someone'}`,
    );
  }
  const t: Takeover = { who, host, pid, since: new Date().toISOString() };
  writeTakeover(deps.home, name, t);
  // not awaited: the hold stays synchronous; the event carries its own time
  if (!current)
    void noteAgentEvent(deps, { agent: name, kind: 'takeover', actor: who, detail: { pid } });
  return t;
}

/**
 * Clear the marker (only this holder's) and deliver the messages that queued during the
 * takeover, in order, each verified; the first that is not accepted stays queued.
 */
export async function releaseTakeover(
  deps: FleetDeps,
  name: string,
  pid: number,
  timeoutMs = 10_000,
): Promise<SendReceipt[]> {
  const held = readTakeover(deps.home, name, deps.host || os.hostname());
  clearTakeover(deps.home, name, pid);
  if (held?.pid === pid)
    await noteAgentEvent(deps, {
      agent: name,
      kind: 'released',
      actor: held.who,
      detail: { pid },
    });
  // an unmanaged session has no queue: nothing was ever queued for it
  if (!deps.loaded.roster.agents.some((a) => a.name === name)) return [];
  const [agent] = rosterAgents(deps, [name]);
  return drainQueue(deps, agent!, timeoutMs);
}
