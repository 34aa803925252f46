import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { mkdirPrivate, writeFileAtomic } from '../fsutil.js';
import type { FleetHome } from '../home.js';
import type { BootStatus } from '../systemd/systemctl.js';

/**
 * run/boot-status.json: the last boot-enablement check (units enabled, linger) for this fleet's
 * socket and user, so `fleet ps` runs systemctl and loginctl at most once a minute.
 */
const file = (home: FleetHome) => path.join(home.runDir, 'boot-status.json');

interface Cached {
  at: number;
  socket: string;
  user: string;
  status: BootStatus;
}

/** The check made less than `freshMs` ago for this socket and user, or null. */
export function readBootStatus(
  home: FleetHome,
  key: { socket: string; user: string },
  nowMs: number,
  freshMs: number,
): BootStatus | null {
  try {
    const c = JSON.parse(readFileSync(file(home), 'utf8')) as Cached;
    const age = nowMs - c.at;
    return c.socket === key.socket && c.user === key.user && age >= 0 && age < freshMs
      ? c.status
      : null;
  } catch {
    return null;
  }
}

export function writeBootStatus(
  home: FleetHome,
  key: { socket: string; user: string },
  nowMs: number,
  status: BootStatus,
): void {
  try {
    mkdirPrivate(home.runDir);
    writeFileAtomic(file(home), JSON.stringify({ at: nowMs, ...key, status }), 0o600);
  } catch {
    // a read-only home still gets its answer, checked each time
  }
}

/** The units were installed, removed or rewritten: the next `fleet ps` checks again. */
export function forgetBootStatus(home: FleetHome): void {
  rmSync(file(home), { force: true });
}
