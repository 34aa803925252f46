import { AgentNotFound } from '../errors.js';
import { restartAgent, StartedElsewhere, startAgent, stopAgent } from '../launch/agent.js';
import { readLaunchState } from '../run/launch-state.js';
import { resolveAll, type ResolvedAgent } from '../roster/resolve.js';
import { firstPaneBySession } from '../tmux/panes.js';
import type { FleetDeps } from '../fleet/deps.js';
import type { StartReason } from '../timeline/rules.js';

/** The roster's agents, resolved for this host, optionally narrowed to some names. */
export function rosterAgents(deps: FleetDeps, only?: readonly string[]): ResolvedAgent[] {
  const all = resolveAll(deps.loaded.roster, deps.host);
  if (!only?.length) return all;
  const names = all.map((a) => a.name);
  return only.map((n) => {
    const a = all.find((x) => x.name === n);
    if (!a) throw new AgentNotFound(n, names);
    return a;
  });
}

export const isLocal = (deps: FleetDeps, a: ResolvedAgent): boolean =>
  a.host === deps.host && !a.ssh;

export async function ensureFleetServer(deps: FleetDeps): Promise<void> {
  const t = deps.loaded.roster.tmux;
  await deps.tmux.ensureServer({ holderSession: t.holder_session, historyLimit: t.history_limit });
}

export interface UpResult {
  started: string[];
  restarted: string[];
  running: string[];
  skipped: { name: string; why: string }[];
  failed: { name: string; error: string }[];
}

/**
 * Start what is missing, and only that: a live session is left alone, a dead pane is
 * replaced (a restart), a session killed by a crash is started again (a restart), a fresh or
 * deliberately stopped agent is started. Starts are staggered so a large fleet does not
 * stampede the machine.
 */
export async function fleetUp(
  deps: FleetDeps,
  opts: { only?: string[]; staggerMs: number },
): Promise<UpResult> {
  const agents = rosterAgents(deps, opts.only);
  await ensureFleetServer(deps);
  const panes = firstPaneBySession(await deps.tmux.listPanes());
  const res: UpResult = { started: [], restarted: [], running: [], skipped: [], failed: [] };
  let first = true;
  for (const a of agents) {
    if (!a.enabled) {
      res.skipped.push({ name: a.name, why: 'enabled: false' });
      continue;
    }
    if (!isLocal(deps, a)) {
      res.skipped.push({ name: a.name, why: `runs on host ${a.host}` });
      continue;
    }
    const pane = panes.get(a.name);
    if (pane && !pane.dead) {
      res.running.push(a.name);
      continue;
    }
    if (!first && opts.staggerMs > 0) await deps.sleep(opts.staggerMs);
    first = false;
    const state = readLaunchState(deps.home, a.name);
    const restart = Boolean(pane?.dead) || (state.epoch > 0 && !state.stopped);
    try {
      if (pane?.dead) await deps.tmux.killSession(a.name);
      await startAgent(deps, a, restart);
      (restart ? res.restarted : res.started).push(a.name);
    } catch (e) {
      // fleetd's supervisor (or another `fleet up`) got there first: it is running
      if (e instanceof StartedElsewhere) {
        res.running.push(a.name);
        continue;
      }
      res.failed.push({ name: a.name, error: e instanceof Error ? e.message : String(e) });
    }
  }
  return res;
}

export interface DownResult {
  stopped: string[];
  absent: string[];
  serverKilled: boolean;
}

export async function fleetDown(
  deps: FleetDeps,
  opts: { only?: string[]; killServer?: boolean },
): Promise<DownResult> {
  const res: DownResult = { stopped: [], absent: [], serverKilled: false };
  for (const a of rosterAgents(deps, opts.only)) {
    if (!isLocal(deps, a)) continue;
    ((await stopAgent(deps, a.name)) ? res.stopped : res.absent).push(a.name);
  }
  if (opts.killServer) res.serverKilled = await deps.tmux.killServer();
  return res;
}

export interface Restarted {
  name: string;
  epoch: number;
  /** whether it came back on its conversation (null: its runtime cannot resume) */
  conversation?: 'resumed' | 'fresh' | null;
}

export async function fleetRestart(
  deps: FleetDeps,
  opts: {
    only?: string[];
    staggerMs: number;
    fresh?: boolean;
    /** why, for the timeline (default: operator, or fresh with `fresh`); `update` for its relaunch */
    reason?: StartReason;
    /** who asked (default the deps' actor) */
    by?: string;
  },
): Promise<{
  restarted: Restarted[];
  failed: { name: string; error: string }[];
}> {
  await ensureFleetServer(deps);
  const out = {
    restarted: [] as Restarted[],
    failed: [] as { name: string; error: string }[],
  };
  const agents = rosterAgents(deps, opts.only).filter(
    (a) => isLocal(deps, a) && (a.enabled || opts.only?.length),
  );
  for (const [i, a] of agents.entries()) {
    if (i > 0 && opts.staggerMs > 0) await deps.sleep(opts.staggerMs);
    try {
      const r = await restartAgent(deps, a, {
        fresh: opts.fresh,
        reason: opts.reason,
        by: opts.by,
      });
      out.restarted.push({ name: a.name, epoch: r.epoch, conversation: r.conversation });
    } catch (e) {
      out.failed.push({ name: a.name, error: e instanceof Error ? e.message : String(e) });
    }
  }
  return out;
}

export interface VerifyResult {
  ok: boolean;
  socket: string;
  server: boolean;
  holder: boolean;
  running: string[];
  missing: string[];
  dead: string[];
  unmanaged: string[];
  skipped: string[];
}

/**
 * Every enabled local roster agent has its exact session on the fleet socket and a live pane.
 * Sessions are compared by exact name from one list call; other sockets (the operator's
 * default server included) are never looked at.
 */
export async function fleetVerify(deps: FleetDeps): Promise<VerifyResult> {
  const roster = deps.loaded.roster;
  const server = await deps.tmux.serverRunning();
  const panes = firstPaneBySession(server ? await deps.tmux.listPanes() : []);
  const res: VerifyResult = {
    ok: true,
    socket: roster.tmux.socket_name,
    server,
    holder: panes.has(roster.tmux.holder_session),
    running: [],
    missing: [],
    dead: [],
    unmanaged: [],
    skipped: [],
  };
  const agents = rosterAgents(deps);
  for (const a of agents) {
    if (!a.enabled || !isLocal(deps, a)) {
      res.skipped.push(a.name);
      continue;
    }
    const p = panes.get(a.name);
    if (!p) res.missing.push(a.name);
    else if (p.dead) res.dead.push(a.name);
    else res.running.push(a.name);
  }
  const names = new Set(agents.map((a) => a.name));
  for (const s of panes.keys())
    if (!names.has(s) && s !== roster.tmux.holder_session) res.unmanaged.push(s);
  res.ok = server && res.missing.length === 0 && res.dead.length === 0;
  return res;
}
