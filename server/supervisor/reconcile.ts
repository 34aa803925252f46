import type { RecoveryHalt } from '@/lib/ops/pause.js';
import { gatherPs } from '@/lib/ops/snapshot.js';
import type { FleetDeps } from '@/lib/fleet/deps.js';
import { ensureFleetServer, isLocal, rosterAgents } from '@/lib/ops/lifecycle.js';
import type { PsRow } from '@/lib/fleet/ps.js';
import { StartedElsewhere, startAgent } from '@/lib/launch/agent.js';
import { readLaunchState } from '@/lib/run/launch-state.js';
import type { ResolvedAgent } from '@/lib/roster/resolve.js';
import { ENHANCER, ORCHESTRATOR } from '@/lib/roster/rules.js';
import { authHalt, looksLikeAuthFailure } from '@/lib/supervisor/prompt.js';
import {
  decideRestart,
  initialRestartState,
  recordStart,
  type RestartState,
} from '@/lib/supervisor/restart.js';

/** The two-agent floor first, then the rest in roster order. */
function startOrder(agents: readonly ResolvedAgent[]): ResolvedAgent[] {
  const rank = (a: ResolvedAgent) => (a.class === ORCHESTRATOR ? 0 : a.class === ENHANCER ? 1 : 2);
  return agents
    .map((a, i) => ({ a, i }))
    .sort((x, y) => rank(x.a) - rank(y.a) || x.i - y.i)
    .map((x) => x.a);
}

/** Deterministic jitter from the name, so a tick run twice staggers the same way. */
function jitterMs(name: string, span: number): number {
  let h = 0;
  for (const ch of name) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return span > 0 ? h % span : 0;
}

export interface ReconcileState {
  restarts: Map<string, RestartState>;
  /** recovery halted on repeated auth-like failures; shared with PAUSE, whose resume lifts it */
  halt: RecoveryHalt;
}

export interface ReconcileReport {
  started: string[];
  waiting: { name: string; until: number }[];
  failed: { name: string; reason: string }[];
  halted: string | null;
}

/**
 * Start every enabled local roster agent that should run and does not: never started, or
 * died (crash, kill). One stopped on purpose with `fleet down` stays down until `fleet up`.
 * Restart policy decides when (backoff) and whether (max_restarts) to start again.
 */
export async function reconcile(
  deps: FleetDeps,
  rows: ReadonlyMap<string, PsRow>,
  st: ReconcileState,
  staggerMs: number,
): Promise<ReconcileReport> {
  const report: ReconcileReport = { started: [], waiting: [], failed: [], halted: st.halt.reason };
  const now = deps.now();
  let first = true;
  for (const a of startOrder(rosterAgents(deps))) {
    if (!a.enabled || !isLocal(deps, a)) continue;
    const row = rows.get(a.name);
    if (row?.session === 'alive') continue;
    const launch = readLaunchState(deps.home, a.name);
    if (launch.stopped && launch.epoch > 0) continue; // `fleet down`: the operator's call
    if (row?.session === 'dead') await noteAuthFailure(deps, a.name, st);
    if (st.halt.reason) break;
    const prev = st.restarts.get(a.name) ?? initialRestartState();
    const d = decideRestart(prev, a.restart, now);
    st.restarts.set(a.name, d.state);
    if (d.action === 'failed') {
      report.failed.push({ name: a.name, reason: d.state.failedReason ?? 'failed' });
      continue;
    }
    if (d.action === 'wait') {
      report.waiting.push({ name: a.name, until: d.until });
      continue;
    }
    if (!first) await deps.sleep(staggerMs + jitterMs(a.name, staggerMs));
    first = false;
    try {
      // the server as `fleet up` makes it: its options and the holder session, which keeps it
      // alive and which fleetd's tmux control client attaches to (lib/tmux/control.ts)
      if (!report.started.length) await ensureFleetServer(deps);
      if (row?.session === 'dead') await deps.tmux.killSession(a.name);
      await startAgent(deps, a, launch.epoch > 0);
      st.restarts.set(a.name, recordStart(d.state, deps.now()));
      report.started.push(a.name);
    } catch (e) {
      // `fleet up` started it meanwhile: running, and not a start of ours to count
      if (e instanceof StartedElsewhere) continue;
      st.restarts.set(a.name, recordStart(d.state, deps.now()));
      deps.log(`supervisor: starting ${a.name} failed: ${(e as Error).message}`);
    }
  }
  report.halted = st.halt.reason;
  return report;
}

async function noteAuthFailure(deps: FleetDeps, name: string, st: ReconcileState): Promise<void> {
  let screen: string;
  try {
    // scrollback too: a runtime may print more after the credential error before it exits
    screen = await deps.tmux.capture(name, 200);
  } catch (e) {
    deps.log(`supervisor: reading ${name}'s dead pane: ${(e as Error).message}`);
    return;
  }
  if (!looksLikeAuthFailure(screen)) return;
  const failures = st.halt.authFailures;
  failures.set(name, (failures.get(name) ?? 0) + 1);
  if (authHalt(failures)) {
    st.halt.halt(
      `recovery halted: auth-like failures on ${[...failures.keys()].join(', ')} (fix credentials, then fleet resume)`,
    );
    deps.log(`supervisor: ${st.halt.reason}`);
  }
}

export async function psByName(deps: FleetDeps): Promise<Map<string, PsRow>> {
  const ps = await gatherPs(deps);
  return new Map(ps.agents.map((r) => [r.name, r]));
}
