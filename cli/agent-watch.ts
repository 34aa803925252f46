/**
 * `fleet agent watch|attach`: the same viewer as the panel's terminal (lib/ops/takeover.ts),
 * here in the operator's own terminal. Attach is a full tmux client (`C-b d` detaches): its user
 * already has a shell on this host.
 */
import os from 'node:os';
import { usage } from '../lib/errors.js';
import { holdTakeover, openView, releaseTakeover } from '../lib/ops/takeover.js';
import { inheritRunner } from '../lib/runner.js';
import { tmuxClientEnv } from '../lib/tmux/argv.js';
import { agentCommand } from './agent-group.js';
import type { Register } from './commands.js';
import type { CliContext } from './context.js';
import { fleetDeps } from './fleet-deps.js';

/** The viewer's own terminal type matters for an interactive client (and only there). */
const attachEnv = (ctx: CliContext): NodeJS.ProcessEnv =>
  tmuxClientEnv(ctx.env, ['TERM', 'COLORTERM']);

export const registerAgentWatch: Register = (program, ctx) => {
  const agent = agentCommand(program);
  agent
    .command('watch')
    .description('watch an agent read-only: keys and resizes do not reach it (C-b d detaches)')
    .argument('<name>')
    .action(async (name: string) => {
      const view = await openView(fleetDeps(ctx), name, 'watch', 'client');
      process.exitCode = await inheritRunner(view.argv, { env: attachEnv(ctx) });
    });

  agent
    .command('attach')
    .description('take over an agent interactively; automated sends queue until you detach')
    .argument('<name>')
    .action(async (name: string) => {
      const deps = fleetDeps(ctx);
      if (!ctx.interactive)
        throw usage('attach needs a terminal (use `fleet agent watch` or `fleet agent send`)');
      const view = await openView(deps, name, 'takeover', 'client');
      holdTakeover(deps, name, ctx.env.USER || os.userInfo().username, process.pid);
      try {
        process.exitCode = await inheritRunner(view.argv, { env: attachEnv(ctx) });
      } finally {
        for (const r of await releaseTakeover(deps, name, process.pid))
          ctx.out(`queued message ${r.verdict}: ${r.detail}`);
      }
    });
};
