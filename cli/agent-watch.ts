import os from 'node:os';
import { FleetError, usage } from '../lib/errors.js';
import type { FleetDeps } from '../lib/fleet/deps.js';
import { rosterAgents } from '../lib/fleet/lifecycle.js';
import { inheritRunner } from '../lib/runner.js';
import { drainQueue } from '../lib/send/deliver.js';
import {
  clearTakeover,
  describeTakeover,
  readTakeover,
  writeTakeover,
} from '../lib/send/takeover.js';
import { tmuxClientEnv } from '../lib/tmux/argv.js';
import { agentCommand } from './agent-group.js';
import type { Register } from './commands.js';
import type { CliContext } from './context.js';
import { fleetDeps } from './fleet-deps.js';

/** The viewer's own terminal type matters for an interactive client (and only there). */
const attachEnv = (ctx: CliContext): NodeJS.ProcessEnv =>
  tmuxClientEnv(ctx.env, ['TERM', 'COLORTERM']);

async function existingSession(deps: FleetDeps, name: string): Promise<void> {
  rosterAgents(deps, [name]); // unknown names are rejected with AgentNotFound
  if (!(await deps.tmux.hasSession(name))) {
    throw new FleetError(
      'NOT_FOUND',
      `agent ${name} has no session on socket ${deps.loaded.roster.tmux.socket_name} (fleet up ${name})`,
    );
  }
}

export const registerAgentWatch: Register = (program, ctx) => {
  const agent = agentCommand(program);
  agent
    .command('watch')
    .description('watch an agent read-only: keys and resizes do not reach it (C-b d detaches)')
    .argument('<name>')
    .action(async (name: string) => {
      const deps = fleetDeps(ctx);
      await existingSession(deps, name);
      // attach -f read-only,ignore-size: the only combination that held against every key,
      // prefix and mouse event tried, and the window keeps its size (PITFALLS)
      process.exitCode = await inheritRunner(deps.tmux.attachArgv(name, 'watch'), {
        env: attachEnv(ctx),
      });
    });

  agent
    .command('attach')
    .description('take over an agent interactively; automated sends queue until you detach')
    .argument('<name>')
    .action(async (name: string) => {
      const deps = fleetDeps(ctx);
      await existingSession(deps, name);
      if (!ctx.interactive)
        throw usage('attach needs a terminal (use `fleet agent watch` or `fleet agent send`)');
      const held = readTakeover(deps.home, name, deps.host);
      if (held)
        throw new FleetError(
          'CONFLICT',
          `agent ${name} is already taken over by ${describeTakeover(held)}`,
        );
      const who = ctx.env.USER || os.userInfo().username;
      writeTakeover(deps.home, name, {
        who,
        host: deps.host,
        pid: process.pid,
        since: new Date().toISOString(),
      });
      try {
        process.exitCode = await inheritRunner(deps.tmux.attachArgv(name, 'attach'), {
          env: attachEnv(ctx),
        });
      } finally {
        clearTakeover(deps.home, name, process.pid);
      }
      const [a] = rosterAgents(deps, [name]);
      for (const r of await drainQueue(deps, a!, 10_000))
        ctx.out(`queued message ${r.verdict}: ${r.detail}`);
    });
};
