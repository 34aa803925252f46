import { fleetDown } from '../lib/ops/lifecycle.js';
import type { Register } from './commands.js';
import { printJson } from './context.js';
import { fleetDeps } from './fleet-deps.js';

export const registerDown: Register = (program, ctx) => {
  program
    .command('down')
    .description("stop roster agents (their exact sessions on the fleet's socket only)")
    .argument('[agents...]', 'only these agents')
    .option('--kill-server', "also stop the fleet's tmux server (never the default one)")
    .option('--json', 'machine-readable result')
    .action(async (agents: string[], o: { killServer?: boolean; json?: boolean }) => {
      const deps = fleetDeps(ctx);
      const r = await fleetDown(deps, { only: agents, killServer: o.killServer });
      if (o.json)
        return printJson(ctx, {
          tenant_id: deps.loaded.roster.tenant_id ?? 'default',
          host: deps.host,
          ...r,
        });
      for (const n of r.stopped) ctx.out(`stopped ${n}`);
      for (const n of r.absent) ctx.out(`absent  ${n} (no session)`);
      if (o.killServer)
        ctx.out(r.serverKilled ? 'tmux server stopped' : 'tmux server was not running');
    });
};
