/**
 * Moving up (docs/architecture.md "Moving up"): copy the embedded PGlite store into an empty
 * PostgreSQL database, every table, in one transaction on the target, and count both sides.
 *
 * The caller holds the FLEET_HOME lock (server/lock.ts): PGlite takes no lock of its own and a
 * second process opening the dir loses acknowledged writes (docs/pitfalls.md "Store").
 *
 * Tables are found in the catalogue of the source, not listed here, so a table a later
 * migration adds is copied without a change to this file; drizzle's own journal (schema
 * `drizzle`) is not copied, the target gets it from its own migrate(). Values travel as their
 * text form and are cast back to the target column's type, so timestamps keep their
 * microseconds and jsonb its exact value (docs/pitfalls.md "Store": a jsonb string that looks
 * like a number comes back as one when a driver parses it).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { DrizzleQueryError, sql, type SQL } from 'drizzle-orm';
import { FleetError, usage } from '../errors.js';
import { privatizeTree } from '../fsutil.js';
import { holdPrivateUmask } from '../umask.js';
import { openStore, type Executor, type Store } from './db.js';

/** drizzle's migrator keeps its journal here; each side has its own. */
const BOOKKEEPING_SCHEMA = 'drizzle';
const FETCH_ROWS = 500;
/** PostgreSQL takes at most 65535 parameters per statement */
const MAX_PARAMS = 30_000;

export interface TableRef {
  schema: string;
  name: string;
}

interface Column {
  name: string;
  /** format_type() of the column: what a text value is cast to */
  type: string;
  identity: boolean;
  generated: boolean;
  /** the sequence behind a serial or identity column */
  sequence: string | null;
}

interface TablePlan {
  ref: TableRef;
  /** the columns copied: all but generated ones */
  columns: Column[];
  /** serial and identity columns: their sequence on each side */
  sequences: { column: string; source: string | null; target: string }[];
}

export interface TableCount {
  table: string;
  source: number;
  target: number;
}

export interface MoveReport {
  /** the PGlite dir */
  source: string;
  /** the target URL without its password */
  target: string;
  tables: TableCount[];
  rows: number;
}

const key = (t: TableRef) => `${t.schema}.${t.name}`;
/** public tables by their name, others qualified */
const tableLabel = (t: TableRef) => (t.schema === 'public' ? t.name : key(t));
const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
const qualified = (t: TableRef) => sql.raw(`${ident(t.schema)}.${ident(t.name)}`);

/**
 * The URL checked for shape before anything connects. The message never repeats the URL: it
 * may hold a password.
 */
export function checkTargetUrl(url: string): URL {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw usage('the target is not a URL: give postgres://user:password@host:port/database');
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:')
    throw usage(`the target must be a postgres:// or postgresql:// URL, not ${u.protocol}//…`);
  if (u.pathname.length <= 1)
    throw usage('the target URL names no database: end it with /<database>');
  return u;
}

/** What may be printed of the URL: db.ts's redacted location, less a `?password=` too. */
function shownUrl(store: Store): string {
  try {
    const u = new URL(store.location);
    u.searchParams.delete('password');
    return u.toString();
  } catch {
    return store.location;
  }
}

function decoded(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * The driver's own message, with the URL's password taken out wherever it appears. drizzle's
 * wrapper is skipped: its message repeats the query and its parameters (rows being copied).
 */
function scrubbed(e: unknown, url: URL): string {
  while (e instanceof DrizzleQueryError && e.cause) e = e.cause;
  const errors = e instanceof AggregateError ? e.errors : [e];
  let text = errors
    .map((x: unknown) =>
      x instanceof Error ? x.message || (x as NodeJS.ErrnoException).code || x.name : String(x),
    )
    .join('; ');
  const secrets = [url.password, url.searchParams.get('password') ?? ''].filter(Boolean);
  for (const s of secrets.flatMap((s) => [s, decoded(s)])) text = text.split(s).join('***');
  return text;
}

async function rows<T>(db: Executor, query: SQL): Promise<T[]> {
  return (await db.execute(query)).rows as T[];
}

const USER_SCHEMAS = sql`n.nspname not in ('pg_catalog', 'information_schema')
  and n.nspname not like 'pg\\_%'`;

/** Every table and view outside the system schemas (partitions count under their parent). */
async function relations(db: Executor): Promise<(TableRef & { kind: string })[]> {
  return rows(
    db,
    sql`select n.nspname as schema, c.relname as name, c.relkind as kind
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p', 'v', 'm', 'f') and not c.relispartition and ${USER_SCHEMAS}
      order by 1, 2`,
  );
}

/** The store's tables: every table but drizzle's journal. */
async function storeTables(db: Executor): Promise<TableRef[]> {
  return (await relations(db))
    .filter((r) => (r.kind === 'r' || r.kind === 'p') && r.schema !== BOOKKEEPING_SCHEMA)
    .map(({ schema, name }) => ({ schema, name }));
}

async function columns(db: Executor): Promise<Map<string, Column[]>> {
  const found = await rows<TableRef & Column & { table: string }>(
    db,
    sql`select n.nspname as schema, c.relname as table, a.attname as name,
        format_type(a.atttypid, a.atttypmod) as type, a.attidentity <> '' as identity,
        a.attgenerated <> '' as generated,
        pg_get_serial_sequence(quote_ident(n.nspname) || '.' || quote_ident(c.relname), a.attname)
          as sequence
      from pg_attribute a join pg_class c on c.oid = a.attrelid
        join pg_namespace n on n.oid = c.relnamespace
      where a.attnum > 0 and not a.attisdropped and c.relkind in ('r', 'p') and ${USER_SCHEMAS}
      order by n.nspname, c.relname, a.attnum`,
  );
  const out = new Map<string, Column[]>();
  for (const c of found) {
    const k = key({ schema: c.schema, name: c.table });
    out.set(k, [...(out.get(k) ?? []), c]);
  }
  return out;
}

async function count(db: Executor, t: TableRef): Promise<number> {
  const [r] = await rows<{ n: string }>(db, sql`select count(*)::text as n from ${qualified(t)}`);
  return Number(r?.n ?? 0);
}

/**
 * Refuse a target that holds anything: a row in one of the store's tables, or a table that is
 * not the store's. drizzle's journal alone is fine (a target migrated before). Without `ours`
 * (the store is not open yet) only rows are looked for: that answer costs no PGlite start.
 */
async function refuseNonEmpty(db: Executor, ours?: TableRef[]): Promise<void> {
  const known = ours && new Set(ours.map(key));
  const found: string[] = [];
  for (const r of await relations(db)) {
    if (r.schema === BOOKKEEPING_SCHEMA && r.name === '__drizzle_migrations') continue;
    if (known && !known.has(key(r))) {
      found.push(
        `${r.kind === 'v' || r.kind === 'm' ? 'view' : 'table'} ${key(r)} (not the fleet's)`,
      );
      continue;
    }
    if (r.kind !== 'r' && r.kind !== 'p') continue;
    const n = await count(db, r);
    if (n > 0) found.push(`${tableLabel(r)} has ${n} row${n === 1 ? '' : 's'}`);
  }
  if (!found.length) return;
  const more = found.length > 4 ? `, and ${found.length - 4} more` : '';
  throw new FleetError(
    'CONFLICT',
    `the target database is not empty: ${found.slice(0, 4).join(', ')}${more}; ` +
      'migrate-to-postgres fills only an empty database, and changed nothing there',
  );
}

/**
 * Parents before children, so every foreign key finds its row; ties by name. A cycle (none in
 * this schema) keeps the remaining tables in name order and lets the constraint say so.
 */
export function insertOrder(
  tables: readonly TableRef[],
  edges: readonly { child: TableRef; parent: TableRef }[],
): TableRef[] {
  const byKey = new Map(tables.map((t) => [key(t), t]));
  const waiting = new Map<string, Set<string>>([...byKey.keys()].map((k) => [k, new Set()]));
  for (const e of edges) {
    const [c, p] = [key(e.child), key(e.parent)];
    if (c !== p && waiting.has(c) && waiting.has(p)) waiting.get(c)!.add(p);
  }
  const out: TableRef[] = [];
  while (waiting.size) {
    const free = [...waiting].filter(([, deps]) => deps.size === 0).map(([k]) => k);
    const next = (free.length ? free : [...waiting.keys()]).sort()[0]!;
    out.push(byKey.get(next)!);
    waiting.delete(next);
    for (const deps of waiting.values()) deps.delete(next);
  }
  return out;
}

async function foreignKeys(db: Executor): Promise<{ child: TableRef; parent: TableRef }[]> {
  const found = await rows<{ cs: string; ct: string; ps: string; pt: string }>(
    db,
    sql`select cn.nspname as cs, cc.relname as ct, pn.nspname as ps, pc.relname as pt
      from pg_constraint k
        join pg_class cc on cc.oid = k.conrelid join pg_namespace cn on cn.oid = cc.relnamespace
        join pg_class pc on pc.oid = k.confrelid join pg_namespace pn on pn.oid = pc.relnamespace
      where k.contype = 'f'`,
  );
  return found.map((f) => ({
    child: { schema: f.cs, name: f.ct },
    parent: { schema: f.ps, name: f.pt },
  }));
}

/** Each source table's columns, checked against the migrated target's. */
async function plan(src: Executor, dst: Executor, tables: TableRef[]): Promise<TablePlan[]> {
  const [from, to] = [await columns(src), await columns(dst)];
  return insertOrder(tables, await foreignKeys(dst)).map((ref) => {
    const target = new Map((to.get(key(ref)) ?? []).map((c) => [c.name, c]));
    const copied = (from.get(key(ref)) ?? []).filter((c) => !c.generated);
    const missing = copied.filter((c) => target.get(c.name)?.type !== c.type);
    if (!target.size || missing.length)
      throw new FleetError(
        'CONFLICT',
        `the target's ${tableLabel(ref)} does not match the embedded store's ` +
          `(${target.size ? `columns ${missing.map((c) => c.name).join(', ')}` : 'no such table'}): ` +
          'is this fleet CLI older than the fleetd that last ran on the store?',
      );
    const sourceSeq = new Map(copied.map((c) => [c.name, c.sequence]));
    return {
      ref,
      columns: copied.map((c) => target.get(c.name)!),
      sequences: [...target.values()]
        .filter((c) => c.sequence)
        .map((c) => ({
          column: c.name,
          source: sourceSeq.get(c.name) ?? null,
          target: c.sequence!,
        })),
    };
  });
}

async function insertRows(
  tx: Executor,
  p: TablePlan,
  batch: Record<string, string | null>[],
): Promise<void> {
  const names = sql.raw(p.columns.map((c) => ident(c.name)).join(', '));
  const overriding = p.columns.some((c) => c.identity) ? sql` overriding system value` : sql``;
  const values = batch.map(
    (r) =>
      sql`(${sql.join(
        p.columns.map((c, i) => sql`${r[`c${i}`] ?? null}::${sql.raw(c.type)}`),
        sql`, `,
      )})`,
  );
  await tx.execute(
    sql`insert into ${qualified(p.ref)} (${names})${overriding} values ${sql.join(values, sql`, `)}`,
  );
}

/** Stream one table through a cursor on the source into the target's transaction. */
async function copyTable(src: Store, tx: Executor, p: TablePlan): Promise<number> {
  const select = sql.raw(p.columns.map((c, i) => `${ident(c.name)}::text as c${i}`).join(', '));
  const perInsert = Math.max(1, Math.floor(MAX_PARAMS / Math.max(1, p.columns.length)));
  return src.db.transaction(async (stx) => {
    await stx.execute(
      sql`declare fleet_copy no scroll cursor for select ${select} from ${qualified(p.ref)}`,
    );
    let copied = 0;
    for (;;) {
      const batch = await rows<Record<string, string | null>>(
        stx,
        sql.raw(`fetch ${FETCH_ROWS} from fleet_copy`),
      );
      if (!batch.length) break;
      for (let i = 0; i < batch.length; i += perInsert)
        await insertRows(tx, p, batch.slice(i, i + perInsert));
      copied += batch.length;
    }
    await stx.execute(sql`close fleet_copy`);
    return copied;
  });
}

/**
 * Serial and identity sequences continue past the copied rows, and past the source's own
 * position (an event sequence never hands out a number twice).
 */
async function resetSequences(src: Store, tx: Executor, p: TablePlan): Promise<void> {
  for (const s of p.sequences) {
    const [from] = s.source
      ? await rows<{ next: string }>(
          src.db,
          sql`select (case when is_called then last_value + 1 else last_value end)::text as next
            from ${sql.raw(s.source)}`,
        )
      : [];
    const [after] = await rows<{ next: string }>(
      tx,
      sql`select (coalesce(max(${sql.raw(ident(s.column))}), 0) + 1)::text as next
        from ${qualified(p.ref)}`,
    );
    const next = [from?.next, after?.next]
      .map((v) => BigInt(v ?? '1'))
      .reduce((a, b) => (a > b ? a : b));
    await tx.execute(sql`select setval(${s.target}::regclass, ${String(next)}::bigint, false)`);
  }
}

async function copyAll(src: Store, dst: Store, plans: TablePlan[]): Promise<TableCount[]> {
  return dst.db.transaction(async (tx) => {
    // nothing else writes the target while it fills, and it is still empty now that it is ours
    const all = sql.raw(plans.map((p) => `${ident(p.ref.schema)}.${ident(p.ref.name)}`).join(', '));
    await tx.execute(sql`lock table ${all} in access exclusive mode`);
    await refuseNonEmpty(
      tx,
      plans.map((p) => p.ref),
    );
    const counts: TableCount[] = [];
    for (const p of plans) {
      const source = await count(src.db, p.ref);
      const copied = await copyTable(src, tx, p).catch((e: unknown) => {
        throw new FleetError(
          'COMMAND_FAILED',
          `copying ${tableLabel(p.ref)} failed, nothing was committed`,
          { cause: e },
        );
      });
      const target = await count(tx, p.ref);
      if (copied !== source || target !== source)
        throw new FleetError(
          'COMMAND_FAILED',
          `${tableLabel(p.ref)} ${source} -> ${target}: the counts differ, nothing was committed`,
        );
      counts.push({ table: tableLabel(p.ref), source, target });
    }
    // last: setval is not undone by a rollback
    for (const p of plans) await resetSequences(src, tx, p);
    return counts;
  });
}

/** Open the embedded store (private umask: PGlite writes its files 0666, docs/pitfalls.md). */
async function openSource(dataDir: string): Promise<{ store: Store; close(): Promise<void> }> {
  if (!existsSync(path.join(dataDir, 'PG_VERSION')))
    throw new FleetError('NOT_FOUND', `no embedded store in ${dataDir}: nothing to migrate`);
  const release = holdPrivateUmask();
  try {
    const store = await openStore({ dataDir });
    return {
      store,
      close: async () => {
        await store.close();
        privatizeTree(dataDir);
        release();
      },
    };
  } catch (e) {
    release();
    throw e;
  }
}

export interface MoveOptions {
  /** the PGlite dir ($FLEET_HOME/db) */
  dataDir: string;
  url: string;
}

/**
 * Copy the store in `dataDir` into the empty database at `url`. Both get the project's
 * migrations first (as fleetd does when it starts). Refuses a non-empty target before changing
 * it; a failure while copying rolls the whole copy back.
 */
export async function migrateToPostgres(o: MoveOptions): Promise<MoveReport> {
  const url = checkTargetUrl(o.url);
  const dst = await openStore({ url: o.url, poolSize: 2 });
  const target = shownUrl(dst);
  const step = async <T>(what: string, fn: () => Promise<T>): Promise<T> =>
    fn().catch((e: unknown) => {
      if (e instanceof FleetError && !e.cause) throw e;
      const detail = scrubbed(e instanceof FleetError ? e.cause : e, url);
      const head = e instanceof FleetError ? e.message : `${what} ${target}`;
      const code = e instanceof FleetError ? e.code : 'COMMAND_FAILED';
      throw new FleetError(code, `${head}: ${detail}`, { cause: e });
    });
  try {
    await step('cannot connect to', () => dst.db.execute(sql`select 1`));
    await step('cannot read', () => refuseNonEmpty(dst.db));
    const src = await openSource(o.dataDir);
    try {
      await src.store.migrate();
      const tables = await storeTables(src.store.db);
      await step('cannot read', () => refuseNonEmpty(dst.db, tables));
      await step('cannot migrate', () => dst.migrate());
      const plans = await step('cannot read', () => plan(src.store.db, dst.db, tables));
      const counts = await step('cannot copy into', () => copyAll(src.store, dst, plans));
      const rowsCopied = counts.reduce((n, c) => n + c.target, 0);
      return { source: o.dataDir, target, tables: counts, rows: rowsCopied };
    } finally {
      await src.close();
    }
  } finally {
    await dst.close();
  }
}
