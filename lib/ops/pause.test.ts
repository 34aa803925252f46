import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fleetHome, type FleetHome } from '../home.js';
import type { PauseState, SetPauseInput } from '../store/registry-contract.js';
import { pauseOps, RecoveryHalt, type PauseDeps } from './pause.js';

/** The store flag's behaviour: who set it, from which host. */
function flagStore(host: string) {
  let s: PauseState = {
    tenant_id: 't',
    host,
    paused: false,
    since: null,
    by: null,
    reason: null,
    drain: false,
  };
  return {
    pause: async () => s,
    setPause: async (i: SetPauseInput) =>
      (s = {
        tenant_id: 't',
        host,
        paused: i.paused,
        since: i.paused ? new Date().toISOString() : null,
        by: i.by,
        reason: i.reason ?? null,
        drain: i.paused && (i.drain ?? false),
      }),
    /** a write that did not go through the operation (another host, a raw flag write) */
    raw: (paused: boolean, from: string) => (s = { ...s, paused, host: from, by: 'raw' }),
  };
}

let home: FleetHome;
afterEach(() => rmSync(home.root, { recursive: true, force: true }));

function setup() {
  home = fleetHome(mkdtempSync(path.join(os.tmpdir(), 'mf-pause-')));
  mkdirSync(home.runDir);
  const flags = flagStore('h1');
  const d: PauseDeps = { home, flags, host: 'h1', halt: new RecoveryHalt() };
  return { d, flags, ops: pauseOps(d) };
}

describe('PAUSE', () => {
  it('keeps the store flag and run/PAUSED together', async () => {
    const { ops } = setup();
    const p = await ops.set({ paused: true, by: 'op', reason: 'deploy' });
    expect(p).toMatchObject({ paused: true, reason: 'deploy', halted: null });
    expect(existsSync(home.paused)).toBe(true);
    expect((await ops.set({ paused: false, by: 'op' })).paused).toBe(false);
    expect(existsSync(home.paused)).toBe(false);
  });

  it('a file touched by hand pauses; removing it again resumes', async () => {
    const { ops } = setup();
    writeFileSync(home.paused, 'by hand\n');
    expect(await ops.get()).toMatchObject({ paused: true, reason: 'by hand' });
    rmSync(home.paused);
    expect((await ops.get()).paused).toBe(false);
  });

  it('a flag set elsewhere is mirrored into the file, not taken for a removal', async () => {
    const { ops, flags } = setup();
    expect((await ops.get()).paused).toBe(false);
    flags.raw(true, 'h1');
    expect((await ops.get()).paused).toBe(true);
    expect(existsSync(home.paused)).toBe(true);
    // lifted elsewhere: the stale copy does not pause again
    flags.raw(false, 'h2');
    expect((await ops.get()).paused).toBe(false);
    expect(existsSync(home.paused)).toBe(false);
    expect((await ops.get()).paused).toBe(false);
  });

  it('tells a listener of each change, whoever made it, and not of a read that saw none', async () => {
    const { d, flags } = setup();
    const heard: boolean[] = [];
    const ops = pauseOps(d, (v) => heard.push(v.paused));
    await ops.get();
    await ops.get();
    expect(heard).toEqual([false]);
    await ops.set({ paused: true, by: 'op' });
    await ops.get();
    expect(heard).toEqual([false, true]);
    // lifted by another host: heard at the next read
    flags.raw(false, 'h2');
    await ops.get();
    expect(heard).toEqual([false, true, false]);
  });

  it('resume lifts the recovery halt, and every read shows it until then', async () => {
    const { ops, d } = setup();
    d.halt.authFailures.set('k1', 1);
    d.halt.halt('recovery halted: auth-like failures on k1, k2');
    expect((await ops.get()).halted).toMatch(/auth-like/);
    expect((await ops.set({ paused: false, by: 'web:op@x' })).halted).toBeNull();
    expect(d.halt.authFailures.size).toBe(0);
  });
});

describe('PAUSE under concurrency', () => {
  it('a read overlapping a pause does not undo it', async () => {
    home = fleetHome(mkdtempSync(path.join(os.tmpdir(), 'mf-pause-')));
    mkdirSync(home.runDir);
    const flags = flagStore('h1');
    // a store that answers slowly, as a busy PGlite does: reads and writes interleave
    const slow = {
      pause: async () => {
        const v = await flags.pause();
        await new Promise((r) => setTimeout(r, 20));
        return v;
      },
      setPause: flags.setPause,
    };
    const ops = pauseOps({ home, flags: slow, host: 'h1', halt: new RecoveryHalt() });
    const read = ops.get();
    await ops.set({ paused: true, by: 'op', reason: 'deploy' });
    await read;
    // the overlapping read must not have taken the new file for a stale one and removed it
    expect(existsSync(home.paused)).toBe(true);
    for (let i = 0; i < 3; i++) expect((await ops.get()).paused).toBe(true);
  });
});
