/**
 * `fleet user create`: an operator account for the web panel. It goes through fleetd's API
 * (POST /v1/users/create) — the CLI never opens the store. The password comes from
 * --password-stdin (preferred: argv is visible to other users in `ps`), FLEET_USER_PASSWORD,
 * or --password.
 */
import { readFileSync } from 'node:fs';
import { usage } from '../lib/errors.js';
import type { Register } from './commands.js';
import { connectFleetd } from './connect.js';
import { printJson } from './context.js';

interface CreateOpts {
  email: string;
  name?: string;
  password?: string;
  passwordStdin?: boolean;
  json?: boolean;
  start?: boolean;
}

function passwordOf(o: CreateOpts, env: NodeJS.ProcessEnv): string {
  if (o.passwordStdin) return readFileSync(0, 'utf8').replace(/\r?\n$/, '');
  const p = o.password ?? env.FLEET_USER_PASSWORD;
  if (!p)
    throw usage('a password is required: --password-stdin, FLEET_USER_PASSWORD or --password');
  return p;
}

export const registerUser: Register = (program, ctx) => {
  const user = program
    .command('user')
    .description('operator accounts of the web panel (through fleetd)');
  user
    .command('create')
    .description('create an operator account (email + password) for the web panel')
    .requiredOption('--email <email>', 'sign-in email')
    .option('--name <name>', 'display name (default: the part of the email before @)')
    .option('--password-stdin', 'read the password from standard input')
    .option(
      '--password <password>',
      'the password (visible in the process list; prefer --password-stdin)',
    )
    .option('--json', 'print JSON')
    .option('--start', 'start fleetd (detached) if it is not running')
    .action(async (o: CreateOpts) => {
      const body = {
        email: o.email,
        password: passwordOf(o, ctx.env),
        ...(o.name ? { name: o.name } : {}),
      };
      const client = await connectFleetd(ctx, { start: o.start });
      try {
        const r = await client.request<{ user: { id: string; email: string; name: string } }>(
          'POST',
          '/v1/users/create',
          body,
        );
        if (o.json) printJson(ctx, r);
        else ctx.out(`created operator ${r.user.email}`);
      } finally {
        client.close();
      }
    });
};
