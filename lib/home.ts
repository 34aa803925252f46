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
  agentEnv(name: string): string;
  heartbeat(name: string): string;
  socket: string;
  lock: string;
  paused: string;
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
    agentsDir: path.join(root, 'agents'),
    runDir: run,
    dbDir: path.join(root, 'db'),
    rolesDir: path.join(root, 'roles'),
    profilesDir: path.join(root, 'profiles'),
    frameworkDir: path.join(root, 'framework'),
    northStar: path.join(root, 'NORTH_STAR.yaml'),
    agentEnv: (name) => path.join(root, 'agents', `${name}.env`),
    heartbeat: (name) => path.join(run, `${name}.hb`),
    socket: path.join(run, 'fleetd.sock'),
    lock: path.join(run, 'fleetd.lock'),
    paused: path.join(run, 'PAUSED'),
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
