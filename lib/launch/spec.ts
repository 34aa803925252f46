import path from 'node:path';
import { FleetError } from '../errors.js';
import type { FleetHome } from '../home.js';
import { withUmask } from '../perms.js';
import { agentEnvVars } from '../roster/env.js';
import type { ResolvedAgent } from '../roster/resolve.js';
import { shellQuote } from '../runtimes/args.js';
import type { LaunchFile, NativeWiring, RuntimeAdapter } from '../runtimes/types.js';
import { contractWiring, mergeWiring, sha256Hex, type LaunchContract } from './contract.js';
import { buildLaunchEnv, DEFAULT_PATH } from './env.js';
import { heartbeatWriter, type HeartbeatWriter } from '../heartbeat/screen-beat.js';

export type { LaunchFile } from '../runtimes/types.js';

export interface LaunchInput {
  home: FleetHome;
  agent: ResolvedAgent;
  adapter: RuntimeAdapter;
  epoch: number;
  socketName: string;
  /** the launching process's env (only its allowlisted keys are used) */
  base: NodeJS.ProcessEnv;
  envFile: Record<string, string>;
  nodePath: string;
  /** find a file shipped in framework/ (an adapter's frameworkScript); injected, like resolve */
  frameworkFile(rel: string): string;
  /** how an agent (or its hooks) calls this fleet CLI, e.g. [node, /…/dist/fleet.cjs] */
  fleetArgv?: readonly string[];
  envBin: string;
  term: string;
  /**
   * The operator's umask, for the files the agent writes in their repositories. The tmux
   * server may have been started by fleetd, whose umask is 077 (docs/security.md "Other local
   * users").
   */
  umask: number;
  /** find a program on a PATH; injected so the rule stays pure */
  resolve(bin: string, pathValue: string): string | null;
  /** the agent's composed contract (lib/contract/), given to it at launch */
  contract?: string;
  /** FLEET_HOME/worktrees when the roster has repos: the runtime is let into it (docs/review.md) */
  worktreesDir?: string;
  /** the wiring that opens the conversation this start runs on (lib/launch/resume.ts) */
  conversation?: NativeWiring;
}

export interface LaunchSpec {
  name: string;
  runtime: string;
  epoch: number;
  cwd: string;
  /** the runtime's own argv; argv[0] absolute */
  argv: string[];
  env: Record<string, string>;
  /**
   * What tmux runs: `/bin/sh -c 'umask 0022; exec "$@"' sh env -i K=V … <runtime argv>`. The
   * shell's script is a constant and every other word is a positional parameter it never
   * evaluates (lib/perms.ts withUmask); it sets the umask and execs env, which replaces the
   * environment and execs the runtime, so the pane's process IS the runtime.
   */
  paneArgv: string[];
  files: LaunchFile[];
  /**
   * who writes run/<name>.hb: the runtime itself, or fleetd from the screen
   * (lib/heartbeat/screen-beat.ts)
   */
  heartbeat: HeartbeatWriter;
  /** how the contract reaches the agent; `message`: the launcher types it once it is idle */
  contract: LaunchContract | null;
}

/**
 * How the runtime reports its own state: wired only when the fleet CLI's path is known and
 * the adapter's own program runs (a roster `command` replaces the program, and with it the
 * flags the wiring adds).
 */
function nativeWiring(i: LaunchInput): NativeWiring {
  const { agent, adapter } = i;
  if (!i.fleetArgv || agent.command || !adapter.native) return {};
  return adapter.native.wire({
    hookArgv: [...i.fleetArgv, 'hook', adapter.id],
    name: agent.name,
    runFile: (suffix) => i.home.agentRunFile(agent.name, suffix),
  });
}

/** The adapter's program: its framework script run by our node, or its `bin` on PATH. */
function program(i: LaunchInput, pathValue: string): string[] {
  const { agent, adapter } = i;
  if (adapter.frameworkScript) return [i.nodePath, i.frameworkFile(adapter.frameworkScript)];
  const exe = i.resolve(adapter.bin, pathValue);
  if (!exe) {
    const pkg = adapter.npmPackage ? ` (npm package ${adapter.npmPackage})` : '';
    throw new FleetError(
      'NOT_FOUND',
      `agent ${agent.name}: runtime "${adapter.id}" needs "${adapter.bin}"${pkg}, not found on PATH; ` +
        `install it or set runtimes.${adapter.id}.bin_dir in the roster`,
    );
  }
  return [exe];
}

function runtimeArgv(i: LaunchInput, pathValue: string, wiring: NativeWiring): string[] {
  const { agent, adapter } = i;
  if (agent.command) {
    const [bin, ...rest] = agent.command;
    const exe = i.resolve(bin!, pathValue);
    if (!exe) {
      throw new FleetError(
        'NOT_FOUND',
        `agent ${agent.name}: command "${bin}" not found on PATH (${pathValue})`,
      );
    }
    return [exe, ...rest];
  }
  return [
    ...program(i, pathValue),
    ...(wiring.argsFirst ?? []),
    ...(wiring.argsBefore ?? []),
    ...adapter.args({ model: agent.model, yolo: agent.yolo, channels: agent.channels }),
    ...(wiring.argsAfter ?? []),
  ];
}

/** run/bin/fleet: a two-line launcher for the fleet CLI this fleet was started with. */
function fleetShim(binDir: string, fleetArgv: readonly string[]): LaunchFile {
  return {
    path: path.join(binDir, 'fleet'),
    content: `#!/bin/sh\nexec ${fleetArgv.map(shellQuote).join(' ')} "$@"\n`,
    mode: 0o755,
  };
}

export function buildLaunchSpec(i: LaunchInput): LaunchSpec {
  const { agent, home } = i;
  const launchVars: Record<string, string> = {
    FLEET_HOME: home.root,
    MOSAIC_FLEET_HOME: home.root,
    MOSAIC_AGENT_NAME: agent.name,
    MOSAIC_AGENT_EPOCH: String(i.epoch),
    MOSAIC_HEARTBEAT_INTERVAL: String(agent.heartbeatIntervalSeconds),
    MOSAIC_HEARTBEAT_FILE: home.heartbeat(agent.name),
    MOSAIC_TMUX_SOCKET: i.socketName,
  };
  if (i.fleetArgv?.[1]) launchVars.MOSAIC_FLEET_BIN = i.fleetArgv[1];
  const contractFile = home.agentRunFile(agent.name, 'contract.md');
  const given =
    i.contract === undefined
      ? null
      : contractWiring(i.adapter, agent, { file: contractFile, text: i.contract });
  const dirs = i.worktreesDir && i.adapter.extraDirs ? i.adapter.extraDirs([i.worktreesDir]) : {};
  const wiring = [given?.wiring ?? {}, dirs, i.conversation ?? {}].reduce(
    mergeWiring,
    nativeWiring(i),
  );
  const env = buildLaunchEnv({
    base: i.base,
    runtime: i.adapter.env,
    envFile: i.envFile,
    roster: agentEnvVars(agent),
    launch: { ...wiring.env, ...launchVars },
    // run/bin holds the `fleet` shim, so an agent can report with the commands in its prompt
    pathFirst: [agent.binDir, ...(i.fleetArgv ? [home.binDir] : []), path.dirname(i.nodePath)],
    term: i.term,
  });
  const files: LaunchFile[] = [
    ...(i.fleetArgv ? [fleetShim(home.binDir, i.fleetArgv)] : []),
    ...(i.contract === undefined ? [] : [{ path: contractFile, content: i.contract, mode: 0o600 }]),
    ...(wiring.files ?? []),
  ];
  const argv = runtimeArgv(i, env.PATH ?? DEFAULT_PATH, wiring);
  const assignments = Object.keys(env)
    .sort()
    .map((k) => `${k}=${env[k]}`);
  return {
    name: agent.name,
    runtime: agent.runtime,
    epoch: i.epoch,
    cwd: agent.workingDirectory,
    argv,
    env,
    paneArgv: withUmask([i.envBin, '-i', ...assignments, ...argv], i.umask),
    files,
    heartbeat: heartbeatWriter(i.adapter, agent),
    contract:
      i.contract === undefined || !given
        ? null
        : {
            file: contractFile,
            bytes: Buffer.byteLength(i.contract, 'utf8'),
            sha256: sha256Hex(i.contract),
            via: given.via,
          },
  };
}
