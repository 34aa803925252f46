import { FleetError } from '../lib/errors.js';
import { rosterAgents } from '../lib/ops/lifecycle.js';
import { isGone } from '../lib/fleet/observe.js';
import { agentCommand } from './agent-group.js';
import type { Register } from './commands.js';
import { fleetDeps, numberOption } from './fleet-deps.js';

/** The last lines an agent printed (history included), trailing blank rows dropped. */
function lastLines(captured: string, n: number): string[] {
  const lines = captured.split('\n');
  while (lines.length && lines[lines.length - 1]!.trim() === '') lines.pop();
  return lines.slice(-n);
}

export const registerAgentTail: Register = (program, ctx) => {
  agentCommand(program)
    .command('tail')
    .description('print the last lines of an agent pane')
    .argument('<name>')
    .option('-n, --lines <n>', 'how many lines', '40')
    .action(async (name: string, o: { lines?: string }) => {
      const deps = fleetDeps(ctx);
      rosterAgents(deps, [name]);
      const n = Math.max(1, Math.floor(numberOption('lines', o.lines, 40)));
      let text: string;
      try {
        // ask for more than n: trailing blank rows of the screen are dropped afterwards
        text = await deps.tmux.capture(name, n + 200);
      } catch (e) {
        if (isGone(e))
          throw new FleetError(
            'NOT_FOUND',
            `agent ${name} has no session on socket ${deps.loaded.roster.tmux.socket_name}`,
          );
        throw e;
      }
      for (const l of lastLines(text, n)) ctx.out(l);
    });
};
