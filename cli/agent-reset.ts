import { FleetError } from '../lib/errors.js';
import { observeAgent } from '../lib/fleet/observe.js';
import { rosterAgents } from '../lib/ops/lifecycle.js';
import { resetCommandFor } from '../lib/launch/adapter.js';
import { sendVerified } from '../lib/send/deliver.js';
import { describeTakeover, readTakeover } from '../lib/run/takeover.js';
import { agentCommand } from './agent-group.js';
import { reportReceipt } from './agent-send.js';
import type { Register } from './commands.js';
import { fleetDeps, numberOption } from './fleet-deps.js';

export const registerAgentReset: Register = (program, ctx) => {
  agentCommand(program)
    .command('reset')
    .description("clear an agent's conversation with its runtime's reset command (/clear, /new …)")
    .argument('<name>')
    .option('--force', 'reset even while the agent is busy or taken over')
    .option('--verify-timeout <s>', 'how long typing and verifying may take', '10')
    .option('--json', 'print the receipt as JSON')
    .action(
      async (name: string, o: { force?: boolean; verifyTimeout?: string; json?: boolean }) => {
        const deps = fleetDeps(ctx);
        const [agent] = rosterAgents(deps, [name]);
        if (!o.force) {
          const now = await observeAgent(deps, agent!);
          if (now.readiness === 'working') {
            throw new FleetError(
              'BUSY',
              `agent ${name} is busy; refusing to reset it (use --force)`,
            );
          }
          const t = readTakeover(deps.home, name, deps.host);
          if (t)
            throw new FleetError(
              'BUSY',
              `agent ${name} is taken over by ${describeTakeover(t)} (use --force)`,
            );
        }
        const r = await sendVerified(deps, {
          agent: agent!,
          text: resetCommandFor(agent!),
          source: null,
          verify: true,
          timeoutMs: numberOption('verify-timeout', o.verifyTimeout, 10) * 1000,
          waitMs: 0,
          whenIdle: false,
          queueOnDefer: false,
          ignoreTakeover: Boolean(o.force),
        });
        reportReceipt(ctx, r, Boolean(o.json));
      },
    );
};
