import type { Command } from 'commander';
import { composeCommsBlock, composeContract } from '../lib/contract/compose.js';
import { loadContractFleet, loadContractInput } from '../lib/contract/load.js';
import { agentCommand } from './agent-group.js';
import { printJson, type CliContext } from './context.js';

/**
 * `fleet agent contract <name>` and `fleet comms-block <name>`: an agent's contract, or just its
 * peers-and-messaging part, composed from files in FLEET_HOME, so both work without fleetd
 * (docs/contract.md).
 */
export function registerAgentContract(program: Command, ctx: CliContext): void {
  agentCommand(program)
    .command('contract <name>')
    .description(
      "print an agent's contract: identity, role, mission, class duties, peers and messaging, operator overlays",
    )
    .option('--json', 'the contract with its tenant, host, size and sections')
    .action((name: string, f: { json?: boolean }) => {
      const c = composeContract(loadContractInput(ctx.home, name));
      if (!f.json) return ctx.out(c.text);
      printJson(ctx, {
        tenant_id: c.tenant_id,
        host: c.host,
        agent: c.agent,
        bytes: c.bytes,
        contract: c.text,
        sections: c.sections,
      });
    });

  program
    .command('comms-block <name>')
    .description("print only the peers-and-messaging part of an agent's contract")
    .option('--host <host>', 'the host to view the fleet from (default: this machine)')
    .action((name: string, f: { host?: string }) => {
      const fleet = loadContractFleet(ctx.home, { host: f.host });
      ctx.out(composeCommsBlock({ agent: name, fleet }));
    });
}
