import { ensureFleetServer } from '../lib/ops/lifecycle.js';
import type { Register } from './commands.js';
import { fleetDeps } from './fleet-deps.js';

/** Used by the tmux systemd unit: bring the fleet's tmux server up (with its placeholder) or down. */
export const registerTmuxServer: Register = (program, ctx) => {
  const tmux = program
    .command('tmux')
    .description("the fleet's own tmux server (never the default one)");
  tmux
    .command('start')
    .description('start the server with its options and placeholder session (idempotent)')
    .action(async () => {
      const deps = fleetDeps(ctx);
      await ensureFleetServer(deps);
      ctx.out(`tmux server on socket ${deps.loaded.roster.tmux.socket_name} is running`);
    });
  tmux
    .command('stop')
    .description('stop the server of the fleet socket and every agent on it')
    .action(async () => {
      const deps = fleetDeps(ctx);
      const killed = await deps.tmux.killServer();
      ctx.out(killed ? 'tmux server stopped' : 'tmux server was not running');
    });
};
