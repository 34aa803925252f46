import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FleetHome } from '../home.js';
import type { LoadedRoster } from '../roster/load.js';
import { execFileRunner } from '../runner.js';
import { tmuxClientEnv } from '../tmux/argv.js';
import { Tmux } from '../tmux/client.js';
import type { AgentEventSink } from '../timeline/contract.js';
import type { FleetDeps } from './deps.js';

/**
 * How the running `fleet` can be called again (by agents, hooks, the contract sender, systemd
 * units). A fleet started as dist/fleet.mjs still hands out dist/fleet.cjs beside it: the same
 * entry, without the ES module loader on every card report (cli/entry.ts).
 */
export function fleetArgv(
  env: NodeJS.ProcessEnv = process.env,
  script: string | undefined = process.argv[1],
): string[] | undefined {
  if (env.FLEET_CLI_PATH) return [process.execPath, path.resolve(env.FLEET_CLI_PATH)];
  if (!script || !/\.[cm]?js$/.test(script)) return undefined;
  const full = path.resolve(script);
  const quick = full.replace(/(\/dist\/fleet)\.mjs$/, '$1.cjs');
  return [process.execPath, quick !== full && existsSync(quick) ? quick : full];
}

/** The real runners for one roster: shared by the CLI and fleetd composition roots. */
export function buildFleetDeps(opts: {
  home: FleetHome;
  loaded: LoadedRoster;
  env: NodeJS.ProcessEnv;
  log(line: string): void;
  /** this host's name (fleetd's own); default FLEET_HOST, else the machine's name */
  host?: string;
  /** where agent events go (FleetDeps.agentEvents) */
  agentEvents?: AgentEventSink;
  /** who acts when no caller says (FleetDeps.actor) */
  actor?: string;
}): FleetDeps {
  const { home, loaded, env, log } = opts;
  const timeoutMs = Number(env.FLEET_TMUX_TIMEOUT_MS) || 5_000;
  const clientEnv = tmuxClientEnv(env);
  return {
    home,
    loaded,
    tmux: new Tmux({
      socket: { name: loaded.roster.tmux.socket_name },
      runner: execFileRunner,
      env: clientEnv,
      timeoutMs,
      holder: loaded.roster.tmux.holder_session,
    }),
    host: opts.host ?? (env.FLEET_HOST || os.hostname()),
    env,
    fleetArgv: fleetArgv(env),
    nodePath: process.execPath,
    systemd: execFileRunner,
    spawnDetached: (argv, childEnv) => {
      const child = spawn(argv[0]!, argv.slice(1), {
        detached: true,
        stdio: 'ignore',
        env: { ...tmuxClientEnv(childEnv), FLEET_HOME: home.root },
      });
      child.on('error', (e) => log(`fleet: could not start ${argv.join(' ')}: ${e.message}`));
      child.unref();
    },
    agentEvents: opts.agentEvents,
    actor: opts.actor,
    now: () => Date.now(),
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    log,
  };
}
