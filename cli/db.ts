/**
 * `fleet db …`: a psql door into the store, opened by fleetd (the only process that may open
 * the PGlite dir — DESIGN.md). For PostgreSQL it prints the database URL without its password.
 */
import { spawn } from 'node:child_process';
import { FleetError } from '../lib/errors.js';
import type { Register } from './commands.js';
import { connectFleetd } from './connect.js';
import { printJson } from './context.js';

function runPsql(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('psql', [url], { stdio: 'inherit' });
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

export const registerDb: Register = (program, ctx) => {
  const db = program.command('db').description('human access to the store, through fleetd');
  const common = (cmd: ReturnType<typeof db.command>) =>
    cmd
      .option('--json', 'print JSON')
      .option('--start', 'start fleetd (detached) if it is not running');

  common(db.command('url'))
    .description('open the store for a SQL client and print its connection string')
    .option('--port <port>', 'loopback port for the embedded store (default: a free one)', Number)
    .action(async (o: { json?: boolean; start?: boolean; port?: number }) => {
      const client = await connectFleetd(ctx, { start: o.start });
      try {
        const r = await client.db.expose(o.port);
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
    .action(async (o: { start?: boolean }) => {
      const client = await connectFleetd(ctx, { start: o.start });
      try {
        const r = await client.db.expose();
        ctx.err(`note: ${r.note}`);
        process.exitCode = await runPsql(r.url);
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
