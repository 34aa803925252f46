/**
 * `fleet db …`: a psql door into the store, opened by fleetd (the only process that may open
 * the PGlite dir — docs/pitfalls.md "PGlite takes no lock"). For PGlite it is a 0600 Unix
 * socket in run/ that closes itself when idle (server/db-expose.ts, docs/security.md "Other
 * local users"); for PostgreSQL it prints the database URL without its password.
 *
 * `fleet db migrate-to-postgres` is the one verb that opens the store itself: it takes the
 * FLEET_HOME lock as fleetd does, so it runs only while fleetd is stopped (docs/architecture.md
 * "Moving up").
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { FleetError, StoreLocked, usage } from '../lib/errors.js';
import type { FleetHome } from '../lib/home.js';
import type { Register } from './commands.js';
import { connectFleetd } from './connect.js';
import { printJson, type CliContext } from './context.js';

function runPsql(url: string, args: readonly string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('psql', [url, ...args], { stdio: 'inherit' });
    child.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        e.code === 'ENOENT'
          ? new FleetError('COMMAND_FAILED', `psql not found; connect any client to ${url}`)
          : e,
      ),
    );
    child.once('exit', (code) => resolve(code ?? 1));
  });
}

function idleSeconds(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 86_400)
    throw usage('--idle must be a whole number of seconds from 1 to 86400');
  return n;
}

/** The unit `fleet install-systemd` made for this home's roster, or null without a roster. */
async function fleetdUnit(home: FleetHome): Promise<string | null> {
  const { loadRoster } = await import('../lib/roster/load.js');
  const { unitNames } = await import('../lib/systemd/units.js');
  try {
    return unitNames(loadRoster(home.roster).roster.tmux.socket_name).fleetd;
  } catch {
    return null;
  }
}

/**
 * How fleetd comes to use the database: `fleet serve` takes DATABASE_URL from its environment,
 * else from fleetd.env (cli/serve.ts), which the systemd unit reads too (EnvironmentFile=, see
 * lib/systemd/units.ts). The URL is shown without its password.
 */
async function switchAdvice(home: FleetHome, shown: string, hadPassword: boolean) {
  const u = new URL(shown);
  if (hadPassword) u.password = 'PASSWORD';
  const url = `'${u.toString().replace(':PASSWORD@', ':<password>@')}'`;
  const unit = (await fleetdUnit(home)) ?? 'mosaic-fleetd.service';
  return [
    `fleetd uses PostgreSQL once DATABASE_URL is in its environment or in ${home.fleetdEnv}:`,
    `  add the line DATABASE_URL=${url} to ${home.fleetdEnv} (mode 0600), then start fleetd again:` +
      ` fleet serve --detach, or with systemd: systemctl --user restart ${unit}`,
    `the embedded store in ${home.dbDir} is left as it was; it gets no more writes once fleetd` +
      ' runs on PostgreSQL, and you may delete it then',
  ];
}

/** Hold the FLEET_HOME lock as fleetd does (server/lock.ts), or say which fleetd holds it. */
async function holdStoreLock(ctx: CliContext) {
  const { acquireLock } = await import('../server/lock.js');
  try {
    return acquireLock(ctx.home.lock);
  } catch (e) {
    if (!(e instanceof StoreLocked)) throw e;
    throw new FleetError(
      'STORE_LOCKED',
      `fleetd holds the store of ${ctx.home.root}: stop fleetd first (pid ${e.pid})`,
      { cause: e },
    );
  }
}

async function migrateToPostgres(ctx: CliContext, arg: string, o: { json?: boolean }) {
  const url = arg === '-' ? readFileSync(0, 'utf8').trim() : arg;
  const move = await import('../lib/store/migrate-postgres.js');
  const hadPassword = Boolean(move.checkTargetUrl(url).password);
  const lock = await holdStoreLock(ctx);
  if (ctx.env.DATABASE_URL)
    ctx.err(
      'note: DATABASE_URL is set here, so a fleetd started from this shell already uses' +
        ` PostgreSQL; copying the embedded store in ${ctx.home.dbDir} anyway`,
    );
  try {
    const r = await move.migrateToPostgres({ dataDir: ctx.home.dbDir, url });
    if (o.json) return printJson(ctx, r);
    for (const t of r.tables) ctx.out(`${t.table} ${t.source} -> ${t.target}`);
    ctx.out(`copied ${r.rows} rows in ${r.tables.length} tables from ${r.source} to ${r.target}`);
    for (const line of await switchAdvice(ctx.home, r.target, hadPassword)) ctx.out(line);
  } finally {
    lock.release();
  }
}

export const registerDb: Register = (program, ctx) => {
  const db = program
    .command('db')
    .description('the store: SQL access through fleetd, and moving it to PostgreSQL');
  const common = (cmd: ReturnType<typeof db.command>) =>
    cmd
      .option('--json', 'print JSON')
      .option('--start', 'start fleetd (detached) if it is not running');

  common(db.command('url'))
    .description('open the store for a SQL client (a Unix socket in run/) and print its URL')
    .option('--port <port>', 'the port number in the socket name (default 5432)', Number)
    .option('--idle <seconds>', 'close it after this long with no client (default 900)')
    .action(async (o: { json?: boolean; start?: boolean; port?: number; idle?: string }) => {
      const client = await connectFleetd(ctx, { start: o.start });
      try {
        const r = await client.db.expose({
          port: o.port,
          idle_seconds: o.idle === undefined ? undefined : idleSeconds(o.idle),
        });
        if (o.json) printJson(ctx, r);
        else {
          ctx.out(r.url);
          ctx.err(`note: ${r.note}`);
        }
      } finally {
        client.close();
      }
    });

  common(db.command('psql'))
    .description('open psql on the store (closes the embedded store door afterwards)')
    .argument('[psql-args...]', 'more arguments for psql, after --')
    .action(async (args: string[], o: { start?: boolean }) => {
      const client = await connectFleetd(ctx, { start: o.start });
      try {
        const r = await client.db.expose();
        ctx.err(`note: ${r.note}`);
        process.exitCode = await runPsql(r.url, args);
        if (r.kind === 'pglite') await client.db.close();
      } finally {
        client.close();
      }
    });

  common(db.command('close'))
    .description('close the SQL door opened by `fleet db url`')
    .action(async (o: { json?: boolean; start?: boolean }) => {
      const client = await connectFleetd(ctx, { start: o.start });
      try {
        const r = await client.db.close();
        if (o.json) printJson(ctx, r);
        else ctx.out(r.closed ? 'closed' : 'nothing was open');
      } finally {
        client.close();
      }
    });

  db.command('migrate-to-postgres')
    .description(
      'copy the embedded store into an empty PostgreSQL database (run it while fleetd is stopped)',
    )
    .argument('<url>', 'postgres://user:password@host:port/database, or - to read it from stdin')
    .option('--json', 'print JSON')
    .action((url: string, o: { json?: boolean }) => migrateToPostgres(ctx, url, o));
};
