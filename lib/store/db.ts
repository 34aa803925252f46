/**
 * Opening the store: embedded PGlite in a data dir, or PostgreSQL by URL, behind one drizzle
 * type. Only fleetd calls this, and only after it holds the FLEET_HOME lock: PGlite takes no
 * lock of its own and a second process opening the dir loses acknowledged writes
 * (docs/pitfalls.md "Store"). Drivers load through dynamic import() so fleetd parses only the one
 * it uses.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { PGlite } from '@electric-sql/pglite';
import { OutageWatch, type StoreUnavailable } from './outage.js';

/** The query result both drivers share: PGlite's `Results` and pg's `QueryResult` have `rows`. */
export interface StoreQueryResultHKT extends PgQueryResultHKT {
  type: StoreRows<this['row']>;
}

export interface StoreRows<T> {
  rows: T[];
}

export type Db = PgDatabase<StoreQueryResultHKT>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** Either the database or an open transaction: every store function accepts both. */
export type Executor = Db | Tx;

export type StoreKind = 'pglite' | 'postgres';

export interface Store {
  kind: StoreKind;
  db: Db;
  /** where the data lives, for humans: the PGlite dir or the URL without its password */
  location: string;
  /**
   * PGlite, when embedded, for pglite-socket (`fleet db expose`): the instance itself, or the
   * stand-in for the one on the store's thread, which has what pglite-socket calls
   */
  pglite?: PGlite;
  /**
   * Subscribe to a NOTIFY channel on a dedicated connection (PostgreSQL only). `onLost` runs if
   * that connection drops; the caller subscribes again. `own` is true for a NOTIFY sent by this
   * store's own connections (this process's writes), which the process has heard of already.
   */
  listen?(
    channel: string,
    onPayload: (payload: string, own: boolean) => void,
    onLost: () => void,
  ): Promise<() => Promise<void>>;
  /**
   * `e` as a StoreUnavailable when it means PostgreSQL cannot be reached, else null (always null
   * for PGlite). The first of an outage is logged, and the first connection after it, so callers
   * that get one log nothing themselves (docs/pitfalls.md "PostgreSQL goes away").
   */
  unreachable(e: unknown): StoreUnavailable | null;
  migrate(): Promise<void>;
  close(): Promise<void>;
}

export type StoreTarget =
  | {
      dataDir: string;
      /** PGlite on this thread instead of its own (the store bench's one-process baseline) */
      inProcess?: boolean;
    }
  | { url: string; poolSize?: number; log?: (line: string) => void };

export async function openStore(target: StoreTarget): Promise<Store> {
  return 'url' in target
    ? openPostgres(target.url, target.poolSize ?? 10, target.log ?? (() => undefined))
    : openPglite(target.dataDir, !target.inProcess);
}

let migrationsCache: string | undefined;

/**
 * drizzle/ sits at the package root; this module runs from lib/store (tsx) or a dist/ chunk
 * (bundled CLI), so walk up until drizzle/meta/_journal.json appears.
 */
function migrationsDir(): string {
  if (process.env.FLEET_MIGRATIONS_DIR) return path.resolve(process.env.FLEET_MIGRATIONS_DIR);
  if (migrationsCache) return migrationsCache;
  for (const start of [path.dirname(fileURLToPath(import.meta.url)), process.cwd()]) {
    for (let dir = start; ; dir = path.dirname(dir)) {
      if (existsSync(path.join(dir, 'drizzle', 'meta', '_journal.json'))) {
        migrationsCache = path.join(dir, 'drizzle');
        return migrationsCache;
      }
      if (path.dirname(dir) === dir) break;
    }
  }
  throw new Error('cannot find the drizzle/ migrations directory (set FLEET_MIGRATIONS_DIR)');
}

async function openPglite(dataDir: string, thread: boolean): Promise<Store> {
  const { drizzle } = await import('drizzle-orm/pglite');
  // PGlite on its own thread (lib/store/pglite-remote.ts) by default, or in this one
  const pglite = thread
    ? await (await import('./pglite-remote.js')).RemotePglite.open(dataDir)
    : await (await import('@electric-sql/pglite')).PGlite.create(dataDir);
  // drizzle's PGlite driver calls only `query` and `transaction`, which both have; the
  // PGlite and node-postgres databases differ only in their result type, which
  // StoreQueryResultHKT covers: the casts are confined to this adapter
  const client = pglite as unknown as PGlite;
  const db = drizzle(client) as unknown as Db;
  return {
    kind: 'pglite',
    db,
    location: dataDir,
    pglite: client,
    unreachable: () => null,
    async migrate() {
      const { migrate } = await import('drizzle-orm/pglite/migrator');
      await migrate(drizzle(client), { migrationsFolder: migrationsDir() });
    },
    close: () => pglite.close(),
  };
}

/** The URL with any password removed, safe to print and log. */
function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '';
    return u.toString().replace(/:@/, '@');
  } catch {
    return '<unparseable DATABASE_URL>';
  }
}

async function openPostgres(
  url: string,
  poolSize: number,
  log: (line: string) => void,
): Promise<Store> {
  const pg = (await import('pg')).default;
  const { drizzle } = await import('drizzle-orm/node-postgres');
  const location = redactUrl(url);
  const outage = new OutageWatch(location, log);
  // a connection that cannot be had in 15 s (the pool full of stuck calls, a host that drops
  // packets) fails the call instead of waiting for the system's TCP timeout
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: 15_000,
  });
  // An idle client's error (server restart, network) must not crash fleetd, nor may a checked-out
  // one's: the pool listens only while a client is idle, and node-postgres emits 'error' on a
  // client in a transaction whose connection is cut, which unheard ends the process
  // (docs/pitfalls.md "PostgreSQL goes away"). The calls on it fail and say so themselves.
  pool.on('error', () => undefined);
  // the server processes behind this pool's connections: a NOTIFY names the one that sent it,
  // which tells this process's own writes from other hosts' (each process ID is live once)
  const ownBackends = new Set<number>();
  const backendOf = (client: object): number | undefined =>
    (client as { processID?: number | null }).processID ?? undefined;
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
    const pid = backendOf(client);
    if (pid !== undefined) ownBackends.add(pid);
    outage.reached();
  });
  pool.on('remove', (client) => {
    const pid = backendOf(client);
    if (pid !== undefined) ownBackends.delete(pid);
  });
  const db = drizzle(pool) as unknown as Db;
  return {
    kind: 'postgres',
    db,
    location,
    unreachable: (e) => outage.check(e),
    async migrate() {
      const { migrate } = await import('drizzle-orm/node-postgres/migrator');
      // Several hosts' fleetds may start together against one database; the drizzle migrator
      // is not safe to run concurrently, so serialise it on a session advisory lock.
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query("select pg_advisory_lock(hashtext('mosaic-fleet:migrate'))");
        await migrate(drizzle(client), { migrationsFolder: migrationsDir() });
      } finally {
        await client.end();
      }
    },
    async listen(channel, onPayload, onLost) {
      const client = new pg.Client({ connectionString: url });
      let listening = false;
      let closing = false;
      let ended = false;
      client.on('error', () => undefined);
      // A connect that fails ends the client too: that is this call's rejection, not a lost
      // subscription, or each failed retry would start two more.
      client.on('end', () => {
        ended = true;
        if (listening && !closing) onLost();
      });
      client.on('notification', (n) => {
        if (n.channel === channel) onPayload(n.payload ?? '', ownBackends.has(n.processId));
      });
      try {
        await client.connect();
        await client.query(`LISTEN ${quoteIdent(channel)}`);
      } catch (e) {
        closing = true;
        await client.end().catch(() => undefined);
        throw e;
      }
      listening = true;
      outage.reached();
      return async () => {
        closing = true;
        // ending a client whose connection is already gone waits for an end that came before
        if (!ended) await client.end().catch(() => undefined);
      };
    },
    // a client a failed transaction never gave back (docs/pitfalls.md "PostgreSQL goes away")
    // would hold pool.end() forever: fleetd's stop waits a few seconds, then goes on
    close: async () => {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((r) => (timer = setTimeout(() => r('late'), 5_000)));
      const ended = await Promise.race([pool.end().then(() => 'ended' as const), late]);
      clearTimeout(timer);
      if (ended === 'late')
        log(`store: ${pool.totalCount - pool.idleCount} connections were still in use at close`);
    },
  };
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
