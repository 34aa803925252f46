import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import type { FleetHome } from '../home.js';
import { pidAlive } from '../launch/pid.js';

/**
 * run/fleetd.pid: written when fleetd is started detached (no systemd), removed by that fleetd
 * when it stops — only if it still names it, so a newer fleetd's file is never removed.
 */
export function writePidfile(home: FleetHome, pid: number): void {
  writeFileSync(home.pidFile, `${pid}\n`, { mode: 0o600 });
}

export function removeOwnPidfile(home: FleetHome, pid = process.pid): void {
  try {
    if (readFileSync(home.pidFile, 'utf8').trim() === String(pid)) unlinkSync(home.pidFile);
  } catch {
    // no pidfile: started in the foreground or by systemd
  }
}

/**
 * The pid of the fleetd that holds this FLEET_HOME's lock (run/fleetd.lock, server/lock.ts),
 * when that process is alive; null when none runs. A reader's question only: taking the lock
 * is server/lock.ts's.
 */
export function runningFleetd(home: FleetHome): number | null {
  let text: string;
  try {
    text = readFileSync(home.lock, 'utf8');
  } catch {
    return null;
  }
  const pid = Number.parseInt(text.trim(), 10);
  return pidAlive(pid) ? pid : null;
}
