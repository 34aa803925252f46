import os from 'node:os';
import path from 'node:path';

/** The FLEET_HOME layout of docs/architecture.md "FLEET_HOME". One place computes every path. */
export interface FleetHome {
  root: string;
  roster: string;
  agentsDir: string;
  runDir: string;
  dbDir: string;
  rolesDir: string;
  profilesDir: string;
  frameworkDir: string;
  northStar: string;
  /** secrets for fleetd (a chat connector's token), KEY=value lines, 0600; never reseeded */
  fleetdEnv: string;
  /** operator notes appended to agents' contracts (docs/contract.md "Overlays"); never reseeded */
  overlaysDir: string;
  /** the overlay every agent gets: `overlays/_all.md` (`_` keeps it apart from agent names) */
  overlayAll: string;
  /** one agent's overlay: `overlays/<name>.md` */
  overlay(name: string): string;
  agentEnv(name: string): string;
  /** everything under run/ (lib/run/ reads and writes these files) */
  heartbeat(name: string): string;
  /** hook and notify reports (one writer per file: never the heartbeat's) */
  hookStatus(name: string): string;
  launchState(name: string): string;
  takeover(name: string): string;
  sendLock(name: string): string;
  startLock(name: string): string;
  queueDir(name: string): string;
  /** a runtime's own generated file for one agent, e.g. `<name>.claude-settings.json` */
  agentRunFile(name: string, suffix: string): string;
  /** the `fleet` shim on the agents' PATH */
  binDir: string;
  socket: string;
  lock: string;
  pidFile: string;
  logFile: string;
  paused: string;
  authSecret: string;
}

export function defaultHomeDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.FLEET_HOME) return path.resolve(env.FLEET_HOME);
  const base = env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config');
  return path.join(base, 'mosaic', 'fleet');
}

export function fleetHome(root: string = defaultHomeDir()): FleetHome {
  const run = path.join(root, 'run');
  return {
    root,
    roster: path.join(root, 'roster.yaml'),
    fleetdEnv: path.join(root, 'fleetd.env'),
    agentsDir: path.join(root, 'agents'),
    runDir: run,
    dbDir: path.join(root, 'db'),
    rolesDir: path.join(root, 'roles'),
    profilesDir: path.join(root, 'profiles'),
    frameworkDir: path.join(root, 'framework'),
    northStar: path.join(root, 'NORTH_STAR.yaml'),
    overlaysDir: path.join(root, 'overlays'),
    overlayAll: path.join(root, 'overlays', '_all.md'),
    overlay: (name) => path.join(root, 'overlays', `${name}.md`),
    agentEnv: (name) => path.join(root, 'agents', `${name}.env`),
    heartbeat: (name) => path.join(run, `${name}.hb`),
    hookStatus: (name) => path.join(run, `${name}.status`),
    launchState: (name) => path.join(run, `${name}.launch.json`),
    takeover: (name) => path.join(run, `${name}.takeover`),
    sendLock: (name) => path.join(run, `${name}.send.lock`),
    startLock: (name) => path.join(run, `${name}.start.lock`),
    queueDir: (name) => path.join(run, 'queue', name),
    agentRunFile: (name, suffix) => path.join(run, `${name}.${suffix}`),
    binDir: path.join(run, 'bin'),
    socket: path.join(run, 'fleetd.sock'),
    lock: path.join(run, 'fleetd.lock'),
    pidFile: path.join(run, 'fleetd.pid'),
    logFile: path.join(run, 'fleetd.log'),
    paused: path.join(run, 'PAUSED'),
    authSecret: path.join(run, 'web-auth.secret'),
  };
}

/**
 * The directories no other local user may enter (docs/security.md "Other local users"): the
 * home itself, the store and run/ (sockets, heartbeats, locks, launch files). Parents first.
 */
export function privateDirs(home: FleetHome, opts: { store: boolean }): string[] {
  return [home.root, home.runDir, ...(opts.store ? [home.dbDir] : [])];
}

/** Expand a leading `~` the way a shell would, without a shell. */
export function expandHome(p: string, home: string = os.homedir()): string {
  if (p === '~') return home;
  if (p.startsWith('~/')) return path.join(home, p.slice(2));
  return p;
}
