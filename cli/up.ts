import { fleetUp, type UpResult } from '../lib/fleet/lifecycle.js';
import type { Register } from './commands.js';
import { printJson, type CliContext } from './context.js';
import { fleetDeps, numberOption } from './fleet-deps.js';

export function reportUp(ctx: CliContext, r: UpResult): void {
  for (const n of r.started) ctx.out(`started   ${n}`);
  for (const n of r.restarted) ctx.out(`restarted ${n}`);
  for (const n of r.running) ctx.out(`running   ${n} (left alone)`);
  for (const s of r.skipped) ctx.out(`skipped   ${s.name} (${s.why})`);
  for (const f of r.failed) ctx.err(`failed    ${f.name}: ${f.error}`);
}

export const registerUp: Register = (program, ctx) => {
  program
    .command('up')
    .description('start every enabled roster agent that is not running (idempotent, staggered)')
    .argument('[agents...]', 'only these agents')
    .option('--stagger <ms>', 'pause between two starts', '250')
    .option('--json', 'machine-readable result')
    .action(async (agents: string[], o: { stagger?: string; json?: boolean }) => {
      const deps = fleetDeps(ctx);
      const r = await fleetUp(deps, {
        only: agents,
        staggerMs: numberOption('stagger', o.stagger, 250),
      });
      if (o.json)
        printJson(ctx, {
          tenant_id: deps.loaded.roster.tenant_id ?? 'default',
          host: deps.host,
          ...r,
        });
      else reportUp(ctx, r);
      if (r.failed.length) process.exitCode = 1;
    });
};
