import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { FleetError } from '../errors.js';
import { mkdirPrivate } from '../fsutil.js';
import type { FleetHome } from '../home.js';
import { pidAlive } from '../launch/pid.js';

/**
 * Sends to one agent are serialised: run/<name>.send.lock is created exclusively (O_EXCL) and
 * holds the sender's pid; a lock whose pid is dead is taken over.
 */
export const lockFile = (home: FleetHome, name: string): string =>
  path.join(home.runDir, `${name}.send.lock`);

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

export async function withSendLock<T>(
  home: FleetHome,
  name: string,
  deadlineMs: number,
  now: () => number,
  sleep: (ms: number) => Promise<void>,
  fn: () => Promise<T>,
): Promise<T> {
  const file = lockFile(home, name);
  while (!tryLock(file)) {
    if (now() >= deadlineMs)
      throw new FleetError('TIMEOUT', `another send to ${name} holds ${file}`);
    await sleep(50);
  }
  try {
    return await fn();
  } finally {
    rmSync(file, { force: true });
  }
}
