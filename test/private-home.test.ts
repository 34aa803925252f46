/**
 * Other local users get nothing of FLEET_HOME (docs/security.md "Other local users"): real
 * fleetd from the built bundle, started by an operator whose umask is 0027, makes FLEET_HOME,
 * run/ and db/ 0700 and every entry of the store owner-only; it tightens a home loosened by hand
 * and logs each path; and an agent it starts in real tmux still writes with the operator's umask.
 */
import { execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fleetHome, type FleetHome } from '../lib/home.js';
import { FLEET_BIN, track, waitForHealth, type Proc } from './support/procs.js';
import { removeTree, rosterYaml, until } from './support/tmux-fleet.js';

const OPERATOR_UMASK = '0027';

/** `fleet serve` as the operator would start it from a shell with `umask 0027`. */
async function serve(home: FleetHome, tmpdir: string, args: string[]): Promise<Proc> {
  const argv = [process.execPath, FLEET_BIN, 'serve', ...args];
  const proc = track(
    spawn('/bin/sh', ['-c', `umask ${OPERATOR_UMASK}; exec "$@"`, 'sh', ...argv], {
      env: { ...process.env, FLEET_HOME: home.root, FLEET_WEB: 'off', TMUX_TMPDIR: tmpdir },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  await waitForHealth(home, proc);
  return proc;
}

async function stop(proc: Proc): Promise<void> {
  if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill('SIGTERM');
  expect(await proc.exited, proc.stderr).toBe(0);
}

const perms = (p: string) => statSync(p).mode & 0o777;

/** Every entry under `dir` whose mode gives group or other anything, with its mode. */
function openToOthers(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const p = path.join(e.parentPath, e.name);
    if (!e.isSymbolicLink() && statSync(p).mode & 0o077) out.push(`${p} ${perms(p).toString(8)}`);
  }
  return out;
}

describe('a private FLEET_HOME', () => {
  const cleanups: (() => void | Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('is 0700 with an owner-only store, tightened when loosened, and agents keep the operator umask', async () => {
    const base = mkdtempSync(path.join(os.tmpdir(), 'mf-private-'));
    const tmpdir = mkdtempSync(path.join(os.tmpdir(), 'mft-'));
    const socket = `mf-private-${process.pid}-${Date.now() % 100_000}`;
    // an agent killed with its server may still be renaming its last heartbeat into run/
    cleanups.push(() => {
      removeTree(base);
      removeTree(tmpdir);
    });
    const procs: Proc[] = [];
    cleanups.push(async () => {
      for (const p of procs) if (p.child.exitCode === null) p.child.kill('SIGKILL');
      // this test's own tmux server only: -L with its unique socket, in its own TMUX_TMPDIR
      try {
        execFileSync('tmux', ['-L', socket, 'kill-server'], {
          env: { PATH: process.env.PATH, TMUX_TMPDIR: tmpdir },
          stdio: 'ignore',
        });
      } catch {
        // no server: nothing to stop
      }
    });

    // 1. a FLEET_HOME that does not exist yet
    const home = fleetHome(path.join(base, 'home'));
    const fresh = await serve(home, tmpdir, ['--no-supervise']);
    procs.push(fresh);
    expect(perms(home.root).toString(8)).toBe('700');
    expect(perms(home.runDir).toString(8)).toBe('700');
    expect(perms(home.dbDir).toString(8)).toBe('700');
    expect(perms(home.socket).toString(8)).toBe('600');
    expect(readdirSync(home.dbDir).length).toBeGreaterThan(5);
    // PGlite writes a new store's files 0666 itself: none may stay readable by others
    expect(openToOthers(home.dbDir)).toEqual([]);
    await stop(fresh);

    // 2. a home loosened by hand (or made by an older version) gets tightened, path by path
    chmodSync(home.root, 0o755);
    chmodSync(home.runDir, 0o777);
    chmodSync(home.dbDir, 0o755);
    chmodSync(path.join(home.dbDir, 'PG_VERSION'), 0o644);
    const repo = path.join(base, 'repo');
    mkdirSync(repo, { mode: 0o755 });
    const writer = 'umask > umask.txt; touch made-by-agent; exec sleep 600';
    writeFileSync(
      home.roster,
      rosterYaml(socket, repo, [
        {
          name: 'orch',
          class: 'orchestrator',
          extra: `command: ${JSON.stringify(['/bin/sh', '-c', writer])}`,
        },
        { name: 'enh', class: 'enhancer' },
      ]),
    );
    // the supervisor on: fleetd itself starts the tmux server and the agents, under umask 077
    const again = await serve(home, tmpdir, ['--tick', '200']);
    procs.push(again);
    await until(() => again.stderr.includes('made '), 'the log lines');
    expect(again.stderr).toContain(`made ${home.root} private: mode 0755 -> 0700`);
    expect(again.stderr).toContain(`made ${home.runDir} private: mode 0777 -> 0700`);
    expect(again.stderr).toContain(`made ${home.dbDir} private: mode 0755 -> 0700`);
    for (const d of [home.root, home.runDir, home.dbDir]) expect(perms(d).toString(8)).toBe('700');
    expect(openToOthers(home.dbDir)).toEqual([]);

    // 3. the agent writes in the operator's repository with the operator's umask, not 0600
    const made = path.join(repo, 'made-by-agent');
    await until(() => existsSync(made), 'the agent to write its file', 60_000);
    expect(readFileSync(path.join(repo, 'umask.txt'), 'utf8').trim()).toBe(OPERATOR_UMASK);
    expect(perms(made).toString(8)).toBe('640');
    await stop(again);
  });
});
