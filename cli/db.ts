/**
 * `fleet db …`: a psql door into the store, opened by fleetd (the only process that may open
 * the PGlite dir — docs/pitfalls.md "PGlite takes no lock"). For PGlite it is a 0600 Unix
 * socket in run/ that closes itself when idle (server/db-expose.ts, docs/security.md "Other
 * local users"); for PostgreSQL it prints the database URL without its password.
 */
import { spawn } from 'node:child_process';
import { FleetError, usage } from '../lib/errors.js';
import type { Register } from './commands.js';
import { connectFleetd } from './connect.js';
import { printJson } from './context.js';

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

export const registerDb: Register = (program, ctx) => {
  const db = program.command('db').description('human access to the store, through fleetd');
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
};
