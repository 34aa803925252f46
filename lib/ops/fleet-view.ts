/**
 * The fleet as the panel sees it, over the same operations as the CLI (snapshot, lifecycle,
 * takeover in lib/ops): the ps rows with each pane's last line, one agent's detail, restart and
 * terminate, and the tmux client of a terminal viewer. Runs in fleetd; the pages reach it as
 * FleetOps through lib/web/services.ts.
 *
 * The roster is read afresh on every call, so an edit made on the roster page (or by the CLI)
 * is what the next call acts on.
 */
import { readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import { AgentNotFound, FleetError } from '../errors.js';
import { buildFleetDeps } from '../fleet/build-deps.js';
import type { FleetDeps } from '../fleet/deps.js';
import { gatherPs } from './snapshot.js';
import { hostViews, type RegisterRecords } from '../fleet/hosts.js';
import { fleetDown, fleetRestart, rosterAgents } from './lifecycle.js';
import { commandId, raiseRelayed, type RelayOps } from './relay.js';
import { parseAddress } from '../fleet/address.js';
import { retireAgent } from './roster.js';
import { isGone } from '../fleet/observe.js';
import type { FleetHome } from '../home.js';
import { northStarProblem } from '../northstar/load.js';
import { loadRoster } from '../roster/load.js';
import { execFileRunner } from '../runner.js';
import {
  holdTakeover as holdAgent,
  openView,
  releaseTakeover as releaseAgent,
  type View,
} from './takeover.js';
import type { Takeover } from '../run/takeover.js';
import { bootStatus } from '../systemd/systemctl.js';
import { unitNames } from '../systemd/units.js';
import { tmuxClientEnv } from '../tmux/argv.js';
import type { TerminalMode } from '../web/terminal-protocol.js';
import type { FleetOps, PauseOps } from '../web/services.js';
import type { DrainOps } from './drain.js';
import type { AgentEventSink } from '../timeline/contract.js';
import type { AgentDetail, FleetRow, FleetSnapshot } from '../web/types.js';

export interface FleetStateOptions {
  home: FleetHome;
  /** fleetd's environment: only allowlisted keys ever reach a tmux client or an agent */
  env: NodeJS.ProcessEnv;
  host?: string;
  pause: PauseOps;
  log(line: string): void;
  /** check systemd boot enablement (cached); off in tests */
  checkBoot?: boolean;
  /** the register, for the other hosts of the fleet (docs/architecture.md "The register") */
  register?: { all(): Promise<RegisterRecords> };
  /** another host's agents are restarted and terminated by their own fleetd (lib/ops/relay.ts) */
  relay?: Pick<RelayOps, 'submit'>;
  /** what a drain waits for, shown while the fleet drains (lib/ops/drain.ts) */
  drain?: Pick<DrainOps, 'status'>;
  /** where agents' starts and takeovers are recorded (lib/ops/timeline.ts) */
  agentEvents?: AgentEventSink;
  /**
   * the push channel's last event id (lib/changes/hub.ts): a snapshot gathered before a change
   * was told is never handed to a page that reads again because of it
   */
  lastChange?: () => number;
}

const BOOT_CACHE_MS = 60_000;
const SNAPSHOT_REUSE_MS = 500;

/**
 * The fleet's dependencies for one call, with a fresh roster, from the composition roots' shared
 * builder. Boot enablement is left to the cached check below: `fleet ps` runs systemctl on each
 * call, the panel polls every two seconds.
 */
export function fleetDepsFor(o: FleetStateOptions): FleetDeps {
  const deps = buildFleetDeps({
    home: o.home,
    loaded: loadRoster(o.home.roster),
    env: o.env,
    log: o.log,
    agentEvents: o.agentEvents,
    actor: 'fleetd',
  });
  return { ...deps, host: o.host ?? deps.host, systemd: undefined };
}

function lastLine(text: string): string | null {
  const lines = text.split('\n').map((l) => l.trimEnd());
  for (let i = lines.length - 1; i >= 0; i--) if (lines[i]) return lines[i]!.slice(0, 300);
  return null;
}

async function tail(deps: FleetDeps, name: string, lines: number): Promise<string | null> {
  try {
    return await deps.tmux.capture(name, lines);
  } catch (e) {
    if (isGone(e)) return null;
    throw e;
  }
}

/** A file's modification time and size: what tells a cached reading it is out of date. */
function fileStamp(file: string): string {
  try {
    const st = statSync(file);
    return `${st.mtimeMs}:${st.size}`;
  } catch {
    return 'none';
  }
}

/** The contract file written when the agent was launched (lib/launch), or null. */
function launchedContract(home: FleetHome, name: string): string | null {
  try {
    return readFileSync(home.agentRunFile(name, 'contract.md'), 'utf8');
  } catch {
    return null;
  }
}

export function createFleetOps(o: FleetStateOptions): FleetOps {
  let boot: { at: number; warning: string | null } | undefined;
  const bootWarning = async (deps: FleetDeps): Promise<string | null> => {
    if (!o.checkBoot) return null;
    if (boot && Date.now() - boot.at < BOOT_CACHE_MS) return boot.warning;
    const user = o.env.USER || os.userInfo().username;
    const s = await bootStatus(
      execFileRunner,
      unitNames(deps.loaded.roster.tmux.socket_name),
      user,
    );
    boot = { at: Date.now(), warning: s.warning };
    return s.warning;
  };

  // Every open tab reads again on the same pushed change: requests within SNAPSHOT_REUSE_MS
  // share one gathering, unless the roster changed meanwhile (an edit, or a broken file, shows
  // on the next request) or a change was pushed since it began: the page reads again because
  // of that change, and a gathering from before it would show the old state with nothing left
  // to correct it
  const rosterStamp = () => fileStamp(o.home.roster);
  // NORTH_STAR.yaml is parsed again only when it changed, not on every poll
  let northStar: { stamp: string; problem: string | null } | undefined;
  const northStarNow = (): string | null => {
    const stamp = fileStamp(o.home.northStar);
    if (northStar?.stamp !== stamp)
      northStar = { stamp, problem: northStarProblem(o.home.northStar) };
    return northStar.problem;
  };
  let recent:
    { at: number; stamp: string; change: number | null; value: Promise<FleetSnapshot> } | undefined;
  const snapshot = (): Promise<FleetSnapshot> => {
    const stamp = rosterStamp();
    const change = o.lastChange?.() ?? null;
    if (
      recent &&
      Date.now() - recent.at < SNAPSHOT_REUSE_MS &&
      recent.stamp === stamp &&
      recent.change === change
    )
      return recent.value;
    const value = gather();
    recent = { at: Date.now(), stamp, change, value };
    value.catch(() => (recent = undefined));
    return value;
  };

  const gather = async (): Promise<FleetSnapshot> => {
    const deps = fleetDepsFor(o);
    const [ps, pause, warning, reg, drain] = await Promise.all([
      gatherPs(deps),
      o.pause.get(),
      bootWarning(deps),
      o.register?.all().catch((e: unknown) => {
        o.log(`fleet view: register: ${(e as Error).message}`);
        return null;
      }),
      // no supervisor here: nothing watches a drain, and the banner says paused only
      o.drain?.status().catch(() => null) ?? null,
    ]);
    const others = reg ? hostViews(reg, ps.host).filter((h) => !h.here) : [];
    // a roster agent of another host is shown with that host, once it has registered it
    const elsewhere = (r: { host: string; name: string }) =>
      r.host !== ps.host &&
      others.some((h) => h.host === r.host && h.agents.some((a) => a.name === r.name));
    const rows: FleetRow[] = await Promise.all(
      ps.agents
        .filter((r) => !elsewhere(r))
        .map(async (r) => ({
          ...r,
          boot_warning: warning,
          last_line:
            r.session === 'missing' ? null : lastLine((await tail(deps, r.name, 20)) ?? ''),
        })),
    );
    return {
      tenant_id: ps.tenant_id,
      host: ps.host,
      socket: ps.socket,
      pause,
      drain: drain?.draining ? drain : null,
      boot_warning: warning,
      northstar_error: northStarNow(),
      agents: rows,
      // this host's rows come from tmux above; the register adds every other host's
      other_hosts: others,
      generated_at: new Date().toISOString(),
    };
  };

  /** `<host>:<agent>` for another host: done there through the relay, its result or its error */
  const relayed = async (
    deps: FleetDeps,
    address: string,
    kind: 'restart' | 'terminate',
    by: string,
  ): Promise<Record<string, unknown> | null> => {
    const { host } = parseAddress(address);
    if (host === null || host === deps.host) return null;
    if (!o.relay)
      throw new FleetError('NOT_FOUND', `unknown host "${host}" (this fleet has one host)`);
    const out = await o.relay.submit(address, { kind, payload: {} }, { id: commandId() });
    raiseRelayed(out);
    if (out.state !== 'done')
      throw new FleetError('TIMEOUT', `${kind} ${address}: ${out.detail ?? 'not done yet'}`);
    o.log(`web: ${by} asked ${out.host} to ${kind} ${out.agent}`);
    return out.result ?? {};
  };

  return {
    snapshot,
    async agent(name) {
      const snap = await snapshot();
      const row = snap.agents.find((r) => r.name === name);
      if (!row)
        throw new AgentNotFound(
          name,
          snap.agents.map((r) => r.name),
        );
      const deps = fleetDepsFor(o);
      const entry = deps.loaded.roster.agents.find((a) => a.name === name) ?? null;
      const detail: AgentDetail = {
        tenant_id: snap.tenant_id,
        host: snap.host,
        row,
        roster: entry ? { ...entry } : null,
        tail: row.session === 'missing' ? '' : ((await tail(deps, name, 40)) ?? ''),
        contract: launchedContract(o.home, name),
      };
      return detail;
    },
    async restart(name, by) {
      const deps = fleetDepsFor(o);
      const there = await relayed(deps, name, 'restart', by);
      if (there) return { name, epoch: Number(there.epoch ?? 0) };
      rosterAgents(deps, [name]);
      const r = await fleetRestart(deps, { only: [name], staggerMs: 0, by });
      recent = undefined;
      const failed = r.failed[0];
      if (failed) throw new FleetError('COMMAND_FAILED', `restart ${name}: ${failed.error}`);
      o.log(`web: ${by} restarted ${name}`);
      return r.restarted[0]!;
    },
    async remove(name, hash, by) {
      const r = await retireAgent(fleetDepsFor(o), name, hash);
      recent = undefined;
      o.log(`web: ${by} removed ${name}${r.stopped ? ' (session stopped)' : ''}`);
      return r;
    },
    async terminate(name, by) {
      const deps = fleetDepsFor(o);
      const there = await relayed(deps, name, 'terminate', by);
      if (there) return { name, stopped: there.stopped === true };
      // `fleet down <name>`: stopped on purpose, so it stays down until started again
      const r = await fleetDown(deps, { only: [name] });
      const stopped = r.stopped.includes(name);
      recent = undefined;
      o.log(`web: ${by} terminated ${name}`);
      return { name, stopped };
    },
  };
}

/** What the terminal bridge runs in its PTY for one viewer, and how to clean up after it. */
export interface AttachCommand extends View {
  /** an explicit allowlist: never fleetd's own environment (docs/architecture.md invariant 7) */
  env: Record<string, string>;
}

/**
 * A tmux client for one browser viewer, built by the same operation as `fleet agent
 * watch|attach` (lib/ops/takeover.ts); a browser's takeover is scoped to the agent's pane.
 */
export async function prepareAttach(
  o: FleetStateOptions,
  name: string,
  mode: TerminalMode,
): Promise<AttachCommand> {
  const view = await openView(fleetDepsFor(o), name, mode, 'pane');
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(tmuxClientEnv(o.env))) if (v !== undefined) env[k] = v;
  env.TERM = 'xterm-256color';
  return { ...view, env };
}

/** The takeover marker for a browser's takeover (lib/ops/takeover.ts). */
export function holdTakeover(
  o: FleetStateOptions,
  name: string,
  who: string,
  pid: number,
): Takeover {
  return holdAgent(fleetDepsFor(o), name, who, pid);
}

/** Clear the marker and deliver what queued meanwhile, as the CLI's attach does on detach. */
export async function releaseTakeover(
  o: FleetStateOptions,
  name: string,
  pid: number,
): Promise<void> {
  const receipts = await releaseAgent(fleetDepsFor(o), name, pid);
  for (const r of receipts) o.log(`web: queued message for ${name}: ${r.verdict} (${r.detail})`);
}
