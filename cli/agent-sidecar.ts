import { FleetError } from '../lib/errors.js';
import { rosterAgents } from '../lib/ops/lifecycle.js';
import { adapterFor } from '../lib/launch/adapter.js';
import { runSidecar } from '../lib/launch/sidecar.js';
import { giveOwedContract } from '../lib/launch/contract-owed.js';
import { reportReceipt } from './agent-send.js';
import { agentCommand } from './agent-group.js';
import type { Register } from './commands.js';
import { fleetDeps } from './fleet-deps.js';

/** Started detached by the launcher for runtimes without a native heartbeat; not for people. */
export const registerAgentSidecar: Register = (program, ctx) => {
  agentCommand(program)
    .command('heartbeat-sidecar', { hidden: true })
    .argument('<name>')
    .requiredOption('--pid <pid>', "the pane's process")
    .requiredOption('--epoch <n>', 'spawn epoch of that process')
    .action(async (name: string, o: { pid: string; epoch: string }) => {
      const deps = fleetDeps(ctx);
      const [agent] = rosterAgents(deps, [name]);
      const pid = Number(o.pid);
      const epoch = Number(o.epoch);
      if (!Number.isInteger(pid) || !Number.isInteger(epoch))
        throw new FleetError('USAGE', '--pid and --epoch must be integers');
      await runSidecar(
        {
          home: deps.home,
          tmux: deps.tmux,
          adapter: adapterFor(agent!),
          name,
          pid,
          epoch,
          now: deps.now,
        },
        agent!.heartbeatIntervalSeconds * 1000,
        deps.sleep,
      );
    });
};

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
