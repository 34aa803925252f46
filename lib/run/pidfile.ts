import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import type { FleetHome } from '../home.js';

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
