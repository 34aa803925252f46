/**
 * A throwaway PostgreSQL for tests and benchmarks, and per-suite databases on it. Debian's
 * postgresql package is not started in containers and refuses to run as root, so as root we
 * initdb and pg_ctl as the `postgres` user on a temp dir and a spare port (docs/pitfalls.md "Store").
 * Every program runs from an argv array; the only shell involved is pg_ctl's own `-o`, which
 * gets a port number and a mkdtemp path.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

export interface PgServer {
  url: string;
  stop(): Promise<void>;
}

/** The newest /usr/lib/postgresql/<v>/bin holding initdb, waiting while apt may still be installing it. */
export async function findPgBin(waitMs = 180_000): Promise<string> {
  const root = '/usr/lib/postgresql';
  const deadline = Date.now() + waitMs;
  for (;;) {
    const versions = existsSync(root)
      ? readdirSync(root)
          .filter(
            (v) =>
              existsSync(path.join(root, v, 'bin', 'initdb')) &&
              existsSync(path.join(root, v, 'bin', 'pg_ctl')),
          )
          .sort((a, b) => Number(b) - Number(a))
      : [];
    if (versions[0]) return path.join(root, versions[0], 'bin');
    if (Date.now() > deadline)
      throw new Error(`no PostgreSQL binaries under ${root} (apt-get install -y postgresql)`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() =>
        addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port')),
      );
    });
  });
}

/** Run a PostgreSQL program, as the postgres user when we are root. */
function asPostgres(bin: string, args: string[]) {
  const isRoot = process.getuid?.() === 0;
  return isRoot ? run('runuser', ['-u', 'postgres', '--', bin, ...args]) : run(bin, args);
}

export interface StartOptions {
  /** fsync off: faster, fine for tests where the server itself is never killed */
  fast?: boolean;
}

export async function startThrowawayPostgres(opts: StartOptions = {}): Promise<PgServer> {
  const bin = await findPgBin();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fleet-pg-'));
  if (process.getuid?.() === 0) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const data = path.join(dir, 'data');
  await asPostgres(path.join(bin, 'initdb'), [
    '-D',
    data,
    '-A',
    'trust',
    '-U',
    'postgres',
    '-E',
    'UTF8',
    '--no-sync',
  ]);
  const port = await freePort();
  const settings = [
    `-p ${port}`,
    `-k ${dir}`,
    '-c listen_addresses=127.0.0.1',
    '-c max_connections=200',
  ];
  if (opts.fast)
    settings.push('-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off');
  await asPostgres(path.join(bin, 'pg_ctl'), [
    '-D',
    data,
    '-l',
    path.join(dir, 'server.log'),
    '-o',
    settings.join(' '),
    '-w',
    'start',
  ]);
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      await asPostgres(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop']).catch(
        () => undefined,
      );
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function reachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function admin<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A fresh, empty database on the server, so suites never see each other's rows. */
export async function createDatabase(
  url: string,
  prefix = 'fleet_test',
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await admin(url, (c) => c.query(`CREATE DATABASE "${name}"`));
  return {
    url: withDatabase(url, name),
    drop: () =>
      admin(url, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(
        () => undefined,
      ),
  };
}

/** TEST_DATABASE_URL, else a PostgreSQL on the usual local port, else a throwaway one. */
export async function testPostgres(opts: StartOptions = {}): Promise<PgServer> {
  const given = process.env.TEST_DATABASE_URL;
  if (given) return { url: given, stop: async () => undefined };
  const local = 'postgresql://postgres@127.0.0.1:5432/postgres';
  if (await reachable(local)) return { url: local, stop: async () => undefined };
  return startThrowawayPostgres(opts);
}
