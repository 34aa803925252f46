import { fleetDown } from '../lib/ops/lifecycle.js';
import type { Register } from './commands.js';
import { printJson } from './context.js';
import { fleetDeps } from './fleet-deps.js';
import { localName, relayLifecycle } from './relay.js';

export const registerDown: Register = (program, ctx) => {
  program
    .command('down')
    .description("stop roster agents (their exact sessions on the fleet's socket only)")
    .argument('[agents...]', 'only these agents (<host>:<agent> for another host)')
    .option('--kill-server', "also stop the fleet's tmux server (never the default one)")
    .option('--json', 'machine-readable result')
    .action(async (agents: string[], o: { killServer?: boolean; json?: boolean }) => {
      const deps = fleetDeps(ctx);
      const here = agents.map((a) => localName(deps, a));
      const local = here.filter((n): n is string => n !== null);
      const r =
        local.length || !agents.length
          ? await fleetDown(deps, { only: local, killServer: o.killServer })
          : { stopped: [] as string[], absent: [] as string[], serverKilled: false };
      // another host's agents: stopped by their own fleetd through the relay
      for (const address of agents.filter((_, i) => here[i] === null)) {
        const out = await relayLifecycle(deps, ctx, 'terminate', address);
        (out.result?.stopped ? r.stopped : r.absent).push(`${out.host}:${out.agent}`);
      }
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
