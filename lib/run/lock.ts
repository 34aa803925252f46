import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { FleetError } from '../errors.js';
import { mkdirPrivate } from '../fsutil.js';
import type { FleetHome } from '../home.js';
import { pidAlive } from '../launch/pid.js';

/**
 * Locks under run/: a file created exclusively (O_EXCL) that holds its holder's pid; a lock
 * whose pid is dead is taken over. Sends to one agent are serialised (run/<name>.send.lock), and
 * so are starts (run/<name>.start.lock), so `fleet up` beside fleetd's supervisor never starts
 * an agent twice.
 */
export const lockFile = (home: FleetHome, name: string): string => home.sendLock(name);

function tryLock(file: string): boolean {
  mkdirPrivate(path.dirname(file));
  try {
    const fd = openSync(file, 'wx', 0o600);
    writeSync(fd, String(process.pid));
    closeSync(fd);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  let holder = 0;
  try {
    holder = Number(readFileSync(file, 'utf8').trim());
  } catch {
    return false; // released meanwhile: try again next round
  }
  if (holder && !pidAlive(holder)) rmSync(file, { force: true });
  return false;
}

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** Run `fn` holding the lock `file`; wait for it until `deadlineMs`, then fail naming `what`. */
export async function withRunLock<T>(
  file: string,
  what: string,
  deadlineMs: number,
  clock: Clock,
  fn: () => Promise<T>,
): Promise<T> {
  while (!tryLock(file)) {
    if (clock.now() >= deadlineMs) throw new FleetError('TIMEOUT', `${what} holds ${file}`);
    await clock.sleep(50);
  }
  try {
    return await fn();
  } finally {
    rmSync(file, { force: true });
  }
}

export function withSendLock<T>(
  home: FleetHome,
  name: string,
  deadlineMs: number,
  now: () => number,
  sleep: (ms: number) => Promise<void>,
  fn: () => Promise<T>,
): Promise<T> {
  return withRunLock(
    home.sendLock(name),
    `another send to ${name}`,
    deadlineMs,
    { now, sleep },
    fn,
  );
}
