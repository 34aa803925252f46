import {
  health,
  ageSeconds,
  type HeartbeatRecord,
  type HeartbeatStatus,
} from '../heartbeat/protocol.js';
import { adapterFor } from '../launch/adapter.js';
import { heartbeatWriter, type HeartbeatWriter } from '../heartbeat/screen-beat.js';
import { detectRuntime, drift } from '../launch/detect.js';
import type { LaunchState } from '../run/launch-state.js';
import { readiness, type Readiness } from '../readiness.js';
import type { ResolvedAgent } from '../roster/resolve.js';
import { listRuntimes } from '../runtimes/registry.js';
import type { BootStatus } from '../systemd/systemctl.js';
import { firstPaneBySession, type PaneInfo } from '../tmux/panes.js';

/** One row of `fleet ps` (and of the web panel's fleet table). JSON keys are the contract. */
export interface PsRow {
  name: string;
  tenant_id: string;
  host: string;
  managed: boolean;
  enabled: boolean | null;
  runtime: string | null;
  model: string | null;
  session: 'alive' | 'dead' | 'missing';
  pane_pid: number | null;
  pane_command: string | null;
  exit_status: number | null;
  clients: number;
  last_output_age_s: number | null;
  heartbeat_age_s: number | null;
  heartbeat_status: HeartbeatStatus | null;
  health: 'healthy' | 'stale' | 'unknown';
  readiness: Readiness;
  /**
   * who writes the heartbeat: the runtime, or fleetd from the screen (docs/runtimes.md
   * "Heartbeats"); null for an unmanaged session
   */
  heartbeat_by: HeartbeatWriter | null;
  drift: boolean | null;
  detected_runtime: string | null;
  epoch: number | null;
  restarts: number;
  /**
   * whether the running incarnation reopened its recorded conversation or began a new one; null
   * when its runtime cannot resume (docs/runtimes.md "Resume")
   */
  conversation: 'resumed' | 'fresh' | null;
  /** why the supervisor stopped restarting this agent (restart policy exhausted) */
  failed: string | null;
  takeover: string | null;
  /** launched unattended (the runtime's permission prompts skipped); null for an unmanaged session */
  yolo: boolean | null;
  boot_warning: string | null;
}

/**
 * The part of a row that says something changed: ages move every tick by themselves. The
 * register rewrites a row, and the panel is told of a change, only when this differs.
 */
export const psStableKey = (r: PsRow): string =>
  JSON.stringify({ ...r, last_output_age_s: null, heartbeat_age_s: null });

export interface AgentFacts {
  heartbeat: HeartbeatRecord | null;
  hook: HeartbeatRecord | null;
  state: LaunchState;
  /** who holds an interactive takeover, when one is held */
  takeover: string | null;
}

export interface PsInput {
  agents: readonly ResolvedAgent[];
  panes: readonly PaneInfo[];
  holderSession: string;
  tenantId: string;
  host: string;
  nowMs: number;
  facts(name: string): AgentFacts;
  procArgv(pid: number): string[] | null;
  boot: BootStatus | null;
  /** is fleetd running for this FLEET_HOME (it writes the screen heartbeats) */
  fleetdRunning: boolean;
}

const round = (n: number | null): number | null => (n === null ? null : Math.round(n * 10) / 10);

function outputAge(pane: PaneInfo | undefined, nowMs: number): number | null {
  if (!pane?.activity) return null;
  return Math.max(0, nowMs / 1000 - pane.activity);
}

function agentRow(a: ResolvedAgent, pane: PaneInfo | undefined, i: PsInput): PsRow {
  const f = i.facts(a.name);
  const adapter = adapterFor(a);
  const session = !pane ? 'missing' : pane.dead ? 'dead' : 'alive';
  const argv = pane?.pid && !pane.dead ? i.procArgv(pane.pid) : null;
  const hbAge = f.heartbeat ? ageSeconds(f.heartbeat, i.nowMs) : null;
  const outAge = outputAge(pane, i.nowMs);
  const epoch = pane?.epoch ?? null;
  const by = heartbeatWriter(adapter, a);
  const r = readiness({
    writerDown: by === 'fleetd' && !i.fleetdRunning,
    pane: session,
    intervalSeconds: a.heartbeatIntervalSeconds,
    epoch,
    heartbeat: f.heartbeat
      ? { ageSeconds: hbAge!, status: f.heartbeat.status, epoch: f.heartbeat.epoch }
      : null,
    hook: f.hook
      ? { ageSeconds: ageSeconds(f.hook, i.nowMs), status: f.hook.status, epoch: f.hook.epoch }
      : null,
    hookAuthority: adapter.nativeState === 'hooks' ? 'exact' : 'hint',
    outputAgeSeconds: outAge,
  });
  const alive = session === 'alive';
  return {
    name: a.name,
    tenant_id: a.tenantId,
    host: a.host,
    managed: true,
    enabled: a.enabled,
    runtime: a.runtime,
    model: a.model ?? null,
    session,
    pane_pid: pane?.pid ?? null,
    pane_command: pane?.currentCommand || null,
    exit_status: pane?.dead ? pane.deadStatus : null,
    clients: pane?.attached ?? 0,
    last_output_age_s: round(outAge),
    heartbeat_age_s: round(hbAge),
    heartbeat_status: f.heartbeat?.status ?? null,
    health: health(f.heartbeat, i.nowMs, a.heartbeatIntervalSeconds),
    readiness: r,
    heartbeat_by: by,
    drift: alive
      ? drift({
          rosterRuntime: a.runtime,
          commandOverride: a.command,
          argv,
          currentCommand: pane!.currentCommand,
          adapters: listRuntimes(),
        })
      : null,
    detected_runtime: alive ? detectRuntime(argv, pane!.currentCommand, listRuntimes()) : null,
    epoch,
    restarts: f.state.restarts,
    conversation: session === 'missing' ? null : (f.state.conversation ?? null),
    failed: f.state.failed ?? null,
    takeover: f.takeover,
    yolo: a.yolo,
    boot_warning: i.boot?.warning ?? null,
  };
}

function unmanagedRow(pane: PaneInfo, i: PsInput): PsRow {
  const argv = pane.pid && !pane.dead ? i.procArgv(pane.pid) : null;
  return {
    name: pane.session,
    tenant_id: i.tenantId,
    host: i.host,
    managed: false,
    enabled: null,
    runtime: null,
    model: null,
    session: pane.dead ? 'dead' : 'alive',
    pane_pid: pane.pid,
    pane_command: pane.currentCommand || null,
    exit_status: pane.dead ? pane.deadStatus : null,
    clients: pane.attached,
    last_output_age_s: round(outputAge(pane, i.nowMs)),
    heartbeat_age_s: null,
    heartbeat_status: null,
    health: 'unknown',
    readiness: pane.dead ? 'dead' : 'unknown',
    heartbeat_by: null,
    drift: null,
    detected_runtime: pane.dead ? null : detectRuntime(argv, pane.currentCommand, listRuntimes()),
    epoch: pane.epoch,
    restarts: 0,
    conversation: null,
    failed: null,
    takeover: null,
    yolo: null,
    boot_warning: i.boot?.warning ?? null,
  };
}

/**
 * Join the roster, one `list-panes -a` result and the run/ files into rows: one per roster
 * agent, then one per session on the socket that no roster agent owns (the placeholder
 * session excluded). Pure apart from the injected readers.
 */
export function psRows(i: PsInput): PsRow[] {
  const bySession = firstPaneBySession(i.panes);
  const rows = i.agents.map((a) => agentRow(a, bySession.get(a.name), i));
  const known = new Set(i.agents.map((a) => a.name));
  for (const [name, pane] of bySession) {
    if (!known.has(name) && name !== i.holderSession) rows.push(unmanagedRow(pane, i));
  }
  return rows;
}
