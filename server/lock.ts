/**
 * The FLEET_HOME lock: run/fleetd.lock holds the owner's pid. Only its holder may open the store
 * (PGlite takes no lock of its own — docs/architecture.md "The store has one owner").
 *
 * The file appears atomically with its content (written to a private temp name, then link(2),
 * which fails if the lock exists), so a reader never sees an empty lock. A lock whose pid is no
 * longer alive is taken over; the takeover itself is serialised by a second O_EXCL file so two
 * starters cannot both remove a stale lock and both win.
 */
import {
  linkSync,
  mkdirSync,
  openSync,
  closeSync,
  readFileSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import { StoreLocked } from '../lib/errors.js';

export interface HeldLock {
  path: string;
  pid: number;
  /** the pid of a dead holder whose lock was taken over, if any */
  tookOverFrom?: number;
  release(): void;
}

function code(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | null)?.code;
}

/** true when the pid exists (EPERM: it exists but belongs to another user) */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return code(e) === 'EPERM';
  }
}

/** The pid in a lock file, null when missing, NaN when unreadable. */
export function readLockPid(file: string): number | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if (code(e) === 'ENOENT') return null;
    throw e;
  }
  const pid = Number.parseInt(text.trim(), 10);
  return Number.isInteger(pid) && pid > 0 ? pid : Number.NaN;
}

function unlinkIfExists(file: string): void {
  try {
    unlinkSync(file);
  } catch (e) {
    if (code(e) !== 'ENOENT') throw e;
  }
}

function tryCreate(file: string, pid: number): boolean {
  const tmp = `${file}.${pid}.tmp`;
  writeFileSync(tmp, `${pid}\n`, { mode: 0o600 });
  try {
    linkSync(tmp, file);
    return true;
  } catch (e) {
    if (code(e) === 'EEXIST') return false;
    throw e;
  } finally {
    unlinkIfExists(tmp);
  }
}

/** Remove the lock of a dead holder, under the takeover guard. Returns false if someone else is at it. */
function removeStale(file: string, stalePid: number, pid: number): boolean {
  const guard = `${file}.takeover`;
  let fd: number;
  try {
    fd = openSync(guard, 'wx', 0o600);
  } catch (e) {
    if (code(e) !== 'EEXIST') throw e;
    const guardPid = readLockPid(guard);
    // a guard left by a starter that died mid-takeover
    if (guardPid === null || !pidAlive(guardPid)) unlinkIfExists(guard);
    return false;
  }
  try {
    writeSync(fd, `${pid}\n`);
    const now = readLockPid(file);
    // re-read under the guard: only remove the very lock we judged stale
    if (now === stalePid || (now !== null && Number.isNaN(now) && Number.isNaN(stalePid)))
      unlinkIfExists(file);
    return true;
  } finally {
    closeSync(fd);
    unlinkIfExists(guard);
  }
}

export function acquireLock(file: string, pid: number = process.pid): HeldLock {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  let tookOverFrom: number | undefined;
  for (let attempt = 0; attempt < 50; attempt++) {
    if (tryCreate(file, pid)) {
      return {
        path: file,
        pid,
        tookOverFrom,
        release: () => {
          if (readLockPid(file) === pid) unlinkIfExists(file);
        },
      };
    }
    const holder = readLockPid(file);
    if (holder === null) continue; // released between our attempt and the read
    if (holder === pid) throw new StoreLocked(pid, file); // this very process already holds it
    if (!Number.isNaN(holder) && pidAlive(holder)) throw new StoreLocked(holder, file);
    if (removeStale(file, holder, pid) && !Number.isNaN(holder)) tookOverFrom = holder;
    else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
  }
  const holder = readLockPid(file);
  throw new StoreLocked(holder && !Number.isNaN(holder) ? holder : 0, file);
}
