import { fleetRestart } from '../lib/fleet/lifecycle.js';
import type { Register } from './commands.js';
import { printJson } from './context.js';
import { fleetDeps, numberOption } from './fleet-deps.js';

export const registerRestart: Register = (program, ctx) => {
  program
    .command('restart')
    .description('restart one agent (or every enabled one) under a new spawn epoch')
    .argument('[agents...]', 'only these agents')
    .option('--stagger <ms>', 'pause between two starts', '250')
    .option('--json', 'machine-readable result')
    .action(async (agents: string[], o: { stagger?: string; json?: boolean }) => {
      const deps = fleetDeps(ctx);
      const r = await fleetRestart(deps, {
        only: agents,
        staggerMs: numberOption('stagger', o.stagger, 250),
      });
      if (o.json)
        printJson(ctx, {
          tenant_id: deps.loaded.roster.tenant_id ?? 'default',
          host: deps.host,
          ...r,
        });
      else {
        for (const x of r.restarted) ctx.out(`restarted ${x.name} (epoch ${x.epoch})`);
        for (const f of r.failed) ctx.err(`failed    ${f.name}: ${f.error}`);
      }
      if (r.failed.length) process.exitCode = 1;
    });
};
