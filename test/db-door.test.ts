/**
 * `fleet db url|psql|close` against real fleetd from the built bundle (docs/security.md "Other
 * local users"): the embedded store's SQL door is a 0600 Unix socket in run/ and never a TCP
 * port (pglite-socket checks no password), real psql runs `select 1` through it, and it closes
 * itself after the idle time it was opened with.
 */
import { execFile } from 'node:child_process';
import { existsSync, lstatSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetHome } from '../lib/home.js';
import { runFleetCli, spawnFleetd, tempHome, type Proc } from './support/fleetd.js';
import { findPgBin } from './support/postgres.js';
import { until } from './support/tmux-fleet.js';

const run = promisify(execFile);

async function fleet(home: FleetHome, env: NodeJS.ProcessEnv, ...args: string[]) {
  const p = runFleetCli(args, { FLEET_HOME: home.root, ...env });
  const code = await p.exited;
  return { code, stdout: p.stdout.join('\n'), stderr: p.stderr };
}

/** Socket inodes that are listening on TCP (v4 or v6) anywhere in this network namespace. */
function tcpListenInodes(): Set<string> {
  const inodes = new Set<string>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!existsSync(file)) continue;
    for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f[3] === '0A') inodes.add(f[9]!); // state 0A = LISTEN; column 10 = inode
    }
  }
  return inodes;
}

/** The TCP ports a process listens on: its open sockets that are listening TCP sockets. */
function listensOnTcp(pid: number): string[] {
  const listening = tcpListenInodes();
  const fdDir = `/proc/${pid}/fd`;
  return readdirSync(fdDir)
    .map((fd) => {
      try {
        return readlinkSync(path.join(fdDir, fd));
      } catch {
        return '';
      }
    })
    .map((l) => /^socket:\[(\d+)\]$/.exec(l)?.[1])
    .filter((inode): inode is string => Boolean(inode && listening.has(inode)));
}

describe('the store door of `fleet db`', () => {
  let home: FleetHome;
  let cleanup: () => void;
  let fleetd: Proc;
  let psql: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    ({ home, cleanup } = tempHome({ seeded: true }));
    fleetd = await spawnFleetd(home);
    const bin = await findPgBin();
    psql = path.join(bin, 'psql');
    // `fleet db psql` finds psql on PATH
    env = { PATH: `${bin}:${process.env.PATH}`, PGCONNECT_TIMEOUT: '5' };
  });
  afterAll(async () => {
    fleetd.child.kill('SIGTERM');
    await fleetd.exited;
    cleanup();
  });

  it('is a 0600 Unix socket in run/, not a TCP port, and psql runs select 1 through it', async () => {
    const opened = await fleet(home, env, 'db', 'url', '--json');
    expect(opened.code, opened.stderr).toBe(0);
    const r = JSON.parse(opened.stdout) as { url: string; socket: string; idle_seconds: number };
    expect(path.dirname(r.socket)).toBe(home.runDir);
    const st = lstatSync(r.socket);
    expect(st.isSocket()).toBe(true);
    expect((st.mode & 0o777).toString(8)).toBe('600');
    expect(r.idle_seconds).toBe(15 * 60); // the default
    // no host name or address anyone could reach: the host is the socket's directory
    expect(new URL(r.url).searchParams.get('host')).toBe(home.runDir);
    expect(listensOnTcp(fleetd.child.pid!)).toEqual([]);

    const { stdout } = await run(psql, [r.url, '-At', '-c', 'select 1'], { env });
    expect(stdout.trim()).toBe('1');

    const closed = await fleet(home, env, 'db', 'close');
    expect(closed.stdout).toBe('closed');
    expect(existsSync(r.socket)).toBe(false);
    await expect(run(psql, [r.url, '-At', '-c', 'select 1'], { env })).rejects.toThrow();
  });

  it('`fleet db psql` runs psql through it and closes it afterwards', async () => {
    const r = await fleet(home, env, 'db', 'psql', '--', '-At', '-c', 'select 40 + 2');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('42');
    expect(readdirSync(home.runDir).filter((f) => f.startsWith('.s.PGSQL'))).toEqual([]);
  });

  it('closes by itself after its idle time with no client, and logs it', async () => {
    const opened = await fleet(home, env, 'db', 'url', '--json', '--idle', '1');
    const r = JSON.parse(opened.stdout) as { url: string; socket: string };
    await until(() => !existsSync(r.socket), 'the idle door to close', 15_000);
    await until(
      () => fleetd.stderr.includes(`db: closed the store socket ${r.socket} (no client for 1s)`),
      'the log line',
    );
    await expect(run(psql, [r.url, '-At', '-c', 'select 1'], { env })).rejects.toThrow();
  });
});
