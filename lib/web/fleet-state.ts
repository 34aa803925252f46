/**
 * The web panel's adapter onto the tmux fleet (issue 3's lib/fleet, lib/launch, lib/send,
 * lib/tmux): `fleet ps` rows, restart, terminate, takeover markers and the argv of a tmux
 * client for the terminal bridge. Server side only (fleetd); the pages see it as FleetOps.
 *
 * The roster is read afresh on every call, so an edit made on the roster page (or by the CLI)
 * is what the next call acts on.
 */
import os from 'node:os';
import { AgentNotFound, FleetError } from '../errors.js';
import { buildFleetDeps } from '../fleet/build-deps.js';
import type { FleetDeps } from '../fleet/deps.js';
import { gatherPs } from '../fleet/gather.js';
import { fleetRestart, rosterAgents } from '../fleet/lifecycle.js';
import { isGone } from '../fleet/observe.js';
import type { FleetHome } from '../home.js';
import { stopAgent } from '../launch/agent.js';
import { isAgentName } from '../names.js';
import { loadRoster } from '../roster/load.js';
import { writeAgentEnvFiles } from '../roster/write.js';
import { execFileRunner } from '../runner.js';
import { clearTakeover, readTakeover, writeTakeover, type Takeover } from '../send/takeover.js';
import { bootStatus } from '../systemd/systemctl.js';
import { unitNames } from '../systemd/units.js';
import { paneTarget, sessionTarget, tmuxClientEnv } from '../tmux/argv.js';
import { takeoverSessionName } from '../tmux/takeover.js';
import type { TerminalMode } from './terminal-protocol.js';
import type { FleetOps, PauseOps } from './services.js';
import type { AgentDetail, FleetRow, FleetSnapshot } from './types.js';

export interface FleetStateOptions {
  home: FleetHome;
  /** fleetd's environment: only allowlisted keys ever reach a tmux client or an agent */
  env: NodeJS.ProcessEnv;
  host?: string;
  pause: PauseOps;
  log(line: string): void;
  /** check systemd boot enablement (cached); off in tests */
  checkBoot?: boolean;
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

  // Every open tab polls: concurrent requests within SNAPSHOT_REUSE_MS share one gathering.
  let recent: { at: number; value: Promise<FleetSnapshot> } | undefined;
  const snapshot = (): Promise<FleetSnapshot> => {
    if (recent && Date.now() - recent.at < SNAPSHOT_REUSE_MS) return recent.value;
    const value = gather();
    recent = { at: Date.now(), value };
    value.catch(() => (recent = undefined));
    return value;
  };

  const gather = async (): Promise<FleetSnapshot> => {
    const deps = fleetDepsFor(o);
    const [ps, pause, warning] = await Promise.all([
      gatherPs(deps),
      o.pause.get(),
      bootWarning(deps),
    ]);
    const rows: FleetRow[] = await Promise.all(
      ps.agents.map(async (r) => ({
        ...r,
        boot_warning: warning,
        last_line: r.session === 'missing' ? null : lastLine((await tail(deps, r.name, 20)) ?? ''),
      })),
    );
    return {
      tenant_id: ps.tenant_id,
      host: ps.host,
      socket: ps.socket,
      pause,
      boot_warning: warning,
      agents: rows,
      generated_at: new Date().toISOString(),
    };
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
      };
      return detail;
    },
    async restart(name, by) {
      const deps = fleetDepsFor(o);
      rosterAgents(deps, [name]);
      const r = await fleetRestart(deps, { only: [name], staggerMs: 0 });
      recent = undefined;
      const failed = r.failed[0];
      if (failed) throw new FleetError('COMMAND_FAILED', `restart ${name}: ${failed.error}`);
      o.log(`web: ${by} restarted ${name}`);
      return r.restarted[0]!;
    },
    async terminate(name, by) {
      const deps = fleetDepsFor(o);
      rosterAgents(deps, [name]);
      const stopped = await stopAgent(deps, name);
      recent = undefined;
      o.log(`web: ${by} terminated ${name}`);
      return { name, stopped };
    },
    writeEnv(name) {
      return writeAgentEnvFiles(o.home, loadRoster(o.home.roster), name);
    },
  };
}

/** What the terminal bridge runs in its PTY for one viewer, and how to clean up after it. */
export interface AttachCommand {
  argv: string[];
  /** an explicit allowlist: never fleetd's own environment (DESIGN.md invariant 7) */
  env: Record<string, string>;
  cols: number;
  rows: number;
  /** a takeover's private tmux session (lib/tmux/takeover.ts); null for watch */
  privateSession: string | null;
  /**
   * Call once the PTY is gone: kills the private session. tmux destroys it by itself when its
   * client goes (`destroy-unattached`); this also covers a PTY that never got to attach.
   */
  release(): Promise<void>;
}

/**
 * Prepare a tmux client for one browser viewer. The agent window is pinned to `window-size
 * manual` first (docs/pitfalls.md "tmux 3.3a": otherwise any client — even read-only, even
 * ignore-size — resizes a headless window), then the client is sized to the window so the
 * browser draws exactly what the agent sees. Watch attaches `read-only,ignore-size`: tmux
 * itself drops every key but the detach key. Takeover attaches to a private session grouped
 * with the agent's, with no prefix, no key bindings and no mouse, so the browser can type into
 * the agent's pane and reach nothing else — not tmux's command prompt, not another agent, not
 * a new window (lib/tmux/takeover.ts, docs/security.md).
 */
export async function prepareAttach(
  o: FleetStateOptions,
  name: string,
  mode: TerminalMode,
): Promise<AttachCommand> {
  const deps = fleetDepsFor(o);
  const known = deps.loaded.roster.agents.map((a) => a.name);
  const panes = await deps.tmux.listPanes();
  if (!panes.some((p) => p.session === name) || name === deps.loaded.roster.tmux.holder_session) {
    throw new AgentNotFound(name, known);
  }
  // a private session's name is derived from the agent's (the route only lets such names in)
  if (mode === 'takeover' && !isAgentName(name)) throw new AgentNotFound(name, known);
  await deps.tmux.run([['set-option', '-w', '-t', paneTarget(name), 'window-size', 'manual']]);
  // the client draws the window plus tmux's status line(s): one more row each, or the top scrolls off
  const [w, h, status] = (
    await deps.tmux.displayMessage(name, '#{window_width} #{window_height} #{status}')
  ).split(' ');
  const statusRows = status === 'off' ? 0 : status === 'on' ? 1 : Number(status) || 0;
  const cols = Number(w);
  const rows = Number(h) + statusRows;
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(tmuxClientEnv(o.env))) if (v !== undefined) env[k] = v;
  env.TERM = 'xterm-256color';
  const size = { env, cols: cols || 80, rows: rows || 24 };
  if (mode === 'watch') {
    return {
      ...size,
      argv: deps.tmux.argv([
        'attach-session',
        '-f',
        'read-only,ignore-size',
        '-t',
        sessionTarget(name),
      ]),
      privateSession: null,
      release: () => Promise.resolve(),
    };
  }
  await deps.tmux.clearStaleTakeovers(name);
  const session = takeoverSessionName(name);
  const tmux = deps.tmux;
  return {
    ...size,
    argv: tmux.takeoverArgv({ agent: name, session, status }),
    privateSession: session,
    release: async () => {
      await tmux.killTakeoverSession(session);
    },
  };
}

/** The takeover marker (run/<name>.takeover): others see who holds it; automated sends queue. */
export function holdTakeover(
  o: FleetStateOptions,
  name: string,
  who: string,
  pid: number,
): Takeover {
  const host = o.host ?? os.hostname();
  const current = readTakeover(o.home, name, host);
  if (current && current.pid !== pid) {
    throw new FleetError(
      'CONFLICT',
      `${name} is already taken over by ${current.who}@${current.host} since ${current.since}`,
    );
  }
  const t: Takeover = { who, host, pid, since: new Date().toISOString() };
  writeTakeover(o.home, name, t);
  return t;
}

export function releaseTakeover(o: FleetStateOptions, name: string, pid: number): void {
  clearTakeover(o.home, name, pid);
}
