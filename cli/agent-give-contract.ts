import { FleetError } from '../lib/errors.js';
import { rosterAgents } from '../lib/ops/lifecycle.js';
import { giveOwedContract } from '../lib/launch/contract-owed.js';
import { reportReceipt } from './agent-send.js';
import { agentCommand } from './agent-group.js';
import type { Register } from './commands.js';
import { fleetDeps } from './fleet-deps.js';

/** Started detached by the launcher to give a first-message contract; not for people. */
export const registerAgentGiveContract: Register = (program, ctx) => {
  agentCommand(program)
    .command('give-contract', { hidden: true })
    .argument('<name>')
    .requiredOption('--epoch <n>', 'spawn epoch the contract is owed to')
    .action(async (name: string, o: { epoch: string }) => {
      const deps = fleetDeps(ctx);
      const [agent] = rosterAgents(deps, [name]);
      const epoch = Number(o.epoch);
      if (!Number.isInteger(epoch)) throw new FleetError('USAGE', '--epoch must be an integer');
      reportReceipt(ctx, await giveOwedContract(deps, agent!, epoch), false);
    });
};
