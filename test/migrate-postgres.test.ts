/**
 * Moving up (docs/architecture.md "Moving up"): `fleet db migrate-to-postgres` copies the
 * embedded store that real fleetds wrote into an empty PostgreSQL database. Afterwards a fleetd
 * on that database serves the same cards, links, events and flags, the operator's account signs
 * in with its password, and every table of the drizzle schema holds the same rows. It refuses a
 * target that is not empty, a running fleetd (by pid) and a bad URL, and never prints a password.
 */
import { writeFileSync } from 'node:fs';
import { is, sql } from 'drizzle-orm';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createFleetAuth } from '@/lib/auth/auth.js';
import { FleetdClient } from '@/lib/client/fleetd.js';
import type { FleetHome } from '@/lib/home.js';
import * as authSchema from '@/lib/store/auth-schema.js';
import { openStore, type Executor, type Store } from '@/lib/store/db.js';
import * as schema from '@/lib/store/schema.js';
import { runFleetCli, spawnFleetd, tempHome, type Proc } from './support/fleetd.js';
import { createDatabase, freePort, withDatabase } from './support/postgres.js';

const EMAIL = 'op@fleet.example';
const PASSWORD = 'a long enough password 1';
const SECRET = 'pw-never-printed-7f3a';

interface Run {
  code: number | null;
  stdout: string[];
  stderr: string;
}

async function fleet(home: FleetHome, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const p = runFleetCli(args, { FLEET_HOME: home.root, DATABASE_URL: '', ...env });
  const code = await p.exited;
  return { code, stdout: p.stdout, stderr: p.stderr };
}

async function stop(p: Proc): Promise<void> {
  p.child.kill('SIGTERM');
  await p.exited;
}

/** Every table the drizzle schema files declare, by SQL name. */
function schemaTables(): string[] {
  const found: unknown[] = [...Object.values(schema), ...Object.values(authSchema)];
  return found
    .filter((v): v is PgTable => is(v, PgTable))
    .map((t) => getTableConfig(t).name)
    .sort();
}

/**
 * Each table's rows as one digest (UTC text of every row, sorted), and each sequence's
 * position: equal digests mean equal contents.
 */
async function digests(db: Store['db']): Promise<Record<string, string>> {
  return db.transaction(async (tx: Executor) => {
    await tx.execute(sql`set local time zone 'UTC'`);
    const tables = (
      await tx.execute(
        sql`select table_name as name from information_schema.tables
          where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`,
      )
    ).rows as { name: string }[];
    const out: Record<string, string> = {};
    for (const { name } of tables) {
      const [r] = (
        await tx.execute(
          sql.raw(`select count(*)::text || ' ' || md5(coalesce(string_agg(x::text, '|'
            order by x::text), '')) as d from public."${name}" x`),
        )
      ).rows as { d: string }[];
      out[name] = r!.d;
    }
    return out;
  });
}

async function withStore<T>(url: string, fn: (s: Store) => Promise<T>): Promise<T> {
  const store = await openStore({ url, poolSize: 2 });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** What a user of fleetd's API sees of the backlog and the flags. */
async function observed(home: FleetHome) {
  const client = new FleetdClient(home);
  try {
    const { cards } = await client.backlog.list();
    const shown = await Promise.all(cards.map((c) => client.backlog.show(c.id)));
    return {
      cards: shown.sort((a, b) => a.card.id.localeCompare(b.card.id)),
      paused: (await client.flags.get('paused')).flag,
      train: (await client.flags.get('release.train')).flag,
    };
  } finally {
    client.close();
  }
}

describe('fleet db migrate-to-postgres', () => {
  let home: FleetHome;
  let cleanup: () => void;
  let target: Awaited<ReturnType<typeof createDatabase>>;
  let fleetd: Proc | undefined;
  let before: Awaited<ReturnType<typeof observed>>;
  let migrated: Run;

  beforeAll(async () => {
    ({ home, cleanup } = tempHome({ seeded: true }));
    target = await createDatabase(inject('databaseUrl'), 'fleet_moveup');

    // a second tenant's fleetd on the same store, earlier: its rows move too
    fleetd = await spawnFleetd(home, { FLEET_TENANT_ID: 'globex', DATABASE_URL: '' });
    let client = new FleetdClient(home);
    await client.backlog.create({ id: 'globex-1', title: 'the other tenant' });
    client.close();
    await stop(fleetd);

    fleetd = await spawnFleetd(home, { FLEET_TENANT_ID: 'acme', DATABASE_URL: '' });
    client = new FleetdClient(home);
    await client.backlog.create({
      id: 'design',
      title: 'Design the widget',
      body: 'quotes \' " and a\nsecond line, ünïcode ✓',
      priority: 5,
      acceptance: { criteria: ['42', 'a spec exists'] },
    });
    await client.backlog.create({ id: 'build', title: 'Build it', depends_on: ['design'] });
    await client.backlog.create({ id: 'docs', title: 'Write the docs' });
    await client.backlog.link({ id: 'docs', depends_on: 'build', actor: 'planner' });
    const { card } = await client.backlog.claim({ owner: 'w1', id: 'design', ttl_seconds: 3600 });
    await client.backlog.complete({ id: 'design', owner: 'w1', fence: card!.fence });
    await client.backlog.claim({ owner: 'w2', id: 'build', ttl_seconds: 3600 });
    await client.flags.setPause({ paused: true, by: 'ops', reason: 'moving up' });
    await client.flags.set({ name: 'release.train', value: { next: '1.0', n: 3 }, by: 'ops' });
    client.close();
    const user = await fleet(home, ['user', 'create', '--email', EMAIL], {
      FLEET_USER_PASSWORD: PASSWORD,
    });
    expect(user.code, user.stderr).toBe(0);
    before = await observed(home);
  });

  afterAll(async () => {
    if (fleetd) await stop(fleetd);
    await target?.drop();
    cleanup?.();
  });

  it('refuses while fleetd holds the store, naming its pid, and touches nothing', async () => {
    const r = await fleet(home, ['db', 'migrate-to-postgres', target.url]);
    expect(r.code).toBe(8);
    expect(r.stderr).toBe(
      `fleet: fleetd holds the store of ${home.root}: stop fleetd first (pid ${fleetd!.child.pid})\n`,
    );
    expect(await withStore(target.url, (s) => digests(s.db))).toEqual({});
  });

  it('copies every table, one line per table with both counts, and says how to switch', async () => {
    await stop(fleetd!);
    fleetd = undefined;
    const url = withPassword(target.url, SECRET);
    migrated = await fleet(home, ['db', 'migrate-to-postgres', url]);
    expect(migrated.code, migrated.stderr).toBe(0);
    expect(migrated.stderr).toBe('');
    const out = migrated.stdout.join('\n');
    expect(out).not.toContain(SECRET);

    const lines = new Map(
      migrated.stdout
        .map((l) => /^(\S+) (\d+) -> (\d+)$/.exec(l))
        .filter((m) => m !== null)
        .map((m) => [m[1]!, [Number(m[2]), Number(m[3])]]),
    );
    for (const t of schemaTables()) expect(lines.has(t), `a line for ${t}`).toBe(true);
    for (const [t, [from, to]] of lines) expect(to, t).toBe(from);
    expect(lines.get('cards')).toEqual([4, 4]);
    expect(lines.get('card_deps')).toEqual([2, 2]);
    expect(lines.get('auth_user')).toEqual([1, 1]);
    const rows = [...lines.values()].reduce((n, [, to]) => n + to!, 0);
    const shown = target.url; // the test server has no password of its own
    expect(out).toContain(
      `copied ${rows} rows in ${lines.size} tables from ${home.dbDir} to ${shown}`,
    );
    expect(out).toContain(`DATABASE_URL='${withPassword(shown, '<password>')}'`);
    expect(out).toContain(home.fleetdEnv);
  });

  it('leaves every table of the target equal to the embedded store', async () => {
    const source = await openStore({ dataDir: home.dbDir });
    let from: Record<string, string>;
    try {
      from = await digests(source.db);
    } finally {
      await source.close();
    }
    const to = await withStore(target.url, (s) => digests(s.db));
    expect(Object.keys(from).sort()).toEqual(expect.arrayContaining(schemaTables()));
    expect(to).toEqual(from);
  });

  it('refuses a second run: the target is not empty, and nothing there changes', async () => {
    const was = await withStore(target.url, (s) => digests(s.db));
    const r = await fleet(home, ['db', 'migrate-to-postgres', target.url]);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(
      /^fleet: the target database is not empty: .*auth_user has 1 row, card_deps has 2 rows.*changed nothing there\n$/,
    );
    expect(r.stderr.split('\n')).toHaveLength(2);
    expect(await withStore(target.url, (s) => digests(s.db))).toEqual(was);
  });

  it('a fleetd on PostgreSQL serves the same cards, links, events and flags', async () => {
    // as the command advised: DATABASE_URL in fleetd.env, which `fleet serve` reads (no variable)
    writeFileSync(home.fleetdEnv, `DATABASE_URL=${target.url}\n`, { mode: 0o600 });
    const onPostgres = await spawnFleetd(home, { FLEET_TENANT_ID: 'acme', DATABASE_URL: '' });
    try {
      const client = new FleetdClient(home);
      expect((await client.health()).store.kind).toBe('postgres');
      client.close();
      await sameAsBefore();
    } finally {
      await stop(onPostgres);
    }
    // the other tenant's card came along as it was
    const globex = await withStore(target.url, async (s) =>
      s.db.execute(sql`select id, title from cards where tenant_id = 'globex'`),
    );
    expect(globex.rows).toEqual([{ id: 'globex-1', title: 'the other tenant' }]);
  });

  async function sameAsBefore(): Promise<void> {
    const after = await observed(home);
    expect(after).toEqual(before);
    const design = after.cards.find((c) => c.card.id === 'design')!;
    expect(design.events.map((e) => e.kind)).toEqual(['created', 'claimed', 'completed']);
    expect(design.card.acceptance.criteria).toEqual(['42', 'a spec exists']);
    expect(after.cards.find((c) => c.card.id === 'docs')!.card.depends_on).toEqual(['build']);
    expect(after.paused?.value).toMatchObject({ paused: true, reason: 'moving up' });

    // the event sequence goes on after the copied events: nothing is numbered twice
    const client = new FleetdClient(home);
    try {
      await client.backlog.create({ id: 'after-move', title: 'made on PostgreSQL' });
      const { events } = await client.backlog.events({});
      const seqs = events.map((e) => e.seq);
      expect(new Set(seqs).size).toBe(seqs.length);
      const created = events.find((e) => e.card_id === 'after-move')!;
      expect(created.seq).toBe(Math.max(...seqs));
    } finally {
      client.close();
    }
  }

  it('the operator signs in on the PostgreSQL store with the same password', async () => {
    await withStore(target.url, async (s) => {
      const auth = createFleetAuth({
        db: s.db,
        secret: 'a-test-secret-of-at-least-32-characters!',
        baseURL: 'http://127.0.0.1:9',
        trustedOrigins: [],
        secureCookies: false,
      });
      const ok = await auth.api.signInEmail({ body: { email: EMAIL, password: PASSWORD } });
      expect(ok.user.email).toBe(EMAIL);
      await expect(
        auth.api.signInEmail({ body: { email: EMAIL, password: `${PASSWORD}x` } }),
      ).rejects.toThrow();
    });
  });

  it("refuses a database holding a table that is not the fleet's, and creates nothing there", async () => {
    const other = await createDatabase(inject('databaseUrl'), 'fleet_other');
    try {
      await withStore(other.url, (s) => s.db.execute(sql`create table ledger (id int)`));
      const r = await fleet(home, ['db', 'migrate-to-postgres', other.url]);
      expect(r.code).toBe(4);
      expect(r.stderr).toContain("table public.ledger (not the fleet's)");
      const left = await withStore(other.url, (s) =>
        s.db.execute(
          sql`select table_schema || '.' || table_name as t from information_schema.tables
            where table_schema not in ('pg_catalog', 'information_schema')`,
        ),
      );
      expect(left.rows).toEqual([{ t: 'public.ledger' }]);
    } finally {
      await other.drop();
    }
  });

  it('a bad URL gets one clear line that never shows the password', async () => {
    const port = await freePort();
    const refused = await fleet(home, [
      'db',
      'migrate-to-postgres',
      `postgresql://fleet:${SECRET}@127.0.0.1:${port}/fleet`,
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      new RegExp(
        `^fleet: cannot connect to postgresql://fleet@127\\.0\\.0\\.1:${port}/fleet: .*ECONNREFUSED.*\\n$`,
      ),
    );
    const missing = await fleet(home, [
      'db',
      'migrate-to-postgres',
      withPassword(withDatabase(inject('databaseUrl'), 'no_such_db'), SECRET),
    ]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^fleet: cannot connect to .*no_such_db.*does not exist\n$/);
    const garbage = await fleet(home, ['db', 'migrate-to-postgres', `${SECRET}@nowhere`]);
    expect(garbage.code).toBe(2);
    expect(garbage.stderr).toMatch(/^fleet: the target is not a URL/);
    for (const r of [refused, missing, garbage]) {
      expect(r.stderr + r.stdout.join('\n')).not.toContain(SECRET);
    }
  });
});

function withPassword(url: string, password: string): string {
  const u = new URL(url);
  u.password = 'PLACEHOLDER';
  return u.toString().replace('PLACEHOLDER', password);
}
