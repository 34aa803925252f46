import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreLocked } from '../lib/errors.js';
import { acquireLock, pidAlive, readLockPid } from './lock.js';

/** A pid that existed and is now gone. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  const pid = Number(r.stdout.toString());
  expect(pidAlive(pid)).toBe(false);
  return pid;
}

describe('acquireLock', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'fleet-lock-'));
    file = path.join(dir, 'run', 'fleetd.lock');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the lock holding our pid and removes it on release', () => {
    const lock = acquireLock(file);
    expect(readFileSync(file, 'utf8').trim()).toBe(String(process.pid));
    lock.release();
    expect(existsSync(file)).toBe(false);
  });

  it('refuses while a live process holds it, naming that pid', () => {
    const holder = acquireLock(file, process.ppid);
    let caught: unknown;
    try {
      acquireLock(file);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(StoreLocked);
    expect((caught as StoreLocked).pid).toBe(process.ppid);
    expect((caught as StoreLocked).message).toContain(`pid ${process.ppid}`);
    expect(readLockPid(file)).toBe(process.ppid);
    holder.release();
  });

  it('takes over the lock of a dead process', () => {
    const dead = deadPid();
    acquireLock(file, dead);
    const lock = acquireLock(file);
    expect(lock.tookOverFrom).toBe(dead);
    expect(readLockPid(file)).toBe(process.pid);
    lock.release();
  });

  it('takes over an unreadable lock and clears a dead takeover guard', () => {
    acquireLock(file, process.pid).release();
    writeFileSync(file, 'garbage');
    writeFileSync(`${file}.takeover`, `${deadPid()}\n`);
    const lock = acquireLock(file);
    expect(readLockPid(file)).toBe(process.pid);
    expect(existsSync(`${file}.takeover`)).toBe(false);
    lock.release();
  });

  it('release leaves a lock that is no longer ours', () => {
    const lock = acquireLock(file);
    writeFileSync(file, `${process.ppid}\n`);
    lock.release();
    expect(readLockPid(file)).toBe(process.ppid);
  });
});
