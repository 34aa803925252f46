/**
 * Starting fleetd in the background where systemd is absent (containers, macOS) or when a CLI
 * call asks for it with --start: spawn `fleet serve` detached with a pidfile and a log, then
 * wait until its socket answers (docs/architecture.md "Durability").
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { FleetError } from '../errors.js';
import type { FleetHome } from '../home.js';
import { writePidfile } from '../run/pidfile.js';
import { FleetdClient, type Health } from './fleetd.js';

export interface DetachOptions {
  home: FleetHome;
  /** the command that runs fleetd in the foreground, e.g. [node, dist/fleet.cjs, 'serve'] */
  argv: string[];
  env: NodeJS.ProcessEnv;
  /** PGlite's first create takes seconds (docs/pitfalls.md "Store") */
  timeoutMs?: number;
}

async function healthOrNull(client: FleetdClient): Promise<Health | null> {
  try {
    return await client.health();
  } catch (e) {
    if (e instanceof FleetError && e.code === 'FLEETD_DOWN') return null;
    throw e;
  }
}

function logTail(home: FleetHome, lines = 5): string {
  try {
    return readFileSync(home.logFile, 'utf8').trim().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

export async function startDetached(
  opts: DetachOptions,
): Promise<{ health: Health; alreadyRunning: boolean }> {
  const client = new FleetdClient(opts.home, { timeoutMs: 5000 });
  try {
    const running = await healthOrNull(client);
    if (running) return { health: running, alreadyRunning: true };
    mkdirSync(opts.home.runDir, { recursive: true, mode: 0o700 });
    const log = openSync(opts.home.logFile, 'a', 0o600);
    const [cmd, ...args] = opts.argv;
    const child = spawn(cmd!, args, {
      detached: true,
      stdio: ['ignore', log, log],
      env: { ...opts.env, FLEET_HOME: opts.home.root },
    });
    closeSync(log);
    let exited: number | string | null = null;
    child.once('exit', (code, signal) => (exited = code ?? signal));
    child.unref();
    if (child.pid) writePidfile(opts.home, child.pid);
    const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
    while (Date.now() < deadline) {
      const health = await healthOrNull(client);
      if (health) return { health, alreadyRunning: false };
      if (exited !== null) {
        throw new FleetError(
          'FLEETD_DOWN',
          `fleetd exited (${exited}) while starting:\n${logTail(opts.home)}`,
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new FleetError(
      'TIMEOUT',
      `fleetd did not answer within ${opts.timeoutMs ?? 60_000} ms; see ${opts.home.logFile}`,
    );
  } finally {
    client.close();
  }
}
