import { gatherPs } from '../lib/ops/snapshot.js';
import { rosterAgents } from '../lib/ops/lifecycle.js';
import { listQueue } from '../lib/run/queue.js';
import { agentCommand } from './agent-group.js';
import type { Register } from './commands.js';
import { printJson } from './context.js';
import { fleetDeps } from './fleet-deps.js';
import { psTable } from './ps.js';

export const registerAgentStatus: Register = (program, ctx) => {
  agentCommand(program)
    .command('status')
    .description(
      'state of one agent (or of every roster agent): session, heartbeat, readiness, takeover, queue',
    )
    .argument('[name]')
    .option('--json', 'machine-readable')
    .action(async (name: string | undefined, o: { json?: boolean }) => {
      const deps = fleetDeps(ctx);
      if (name) rosterAgents(deps, [name]); // AgentNotFound before any tmux call
      const ps = await gatherPs(deps);
      const rows = ps.agents.filter((r) => r.managed && (!name || r.name === name));
      if (!name) {
        if (o.json) return printJson(ctx, { tenant_id: ps.tenant_id, host: ps.host, agents: rows });
        return ctx.out(psTable(rows));
      }
      const row = { ...rows[0]!, queued: listQueue(deps.home, name).length };
      if (o.json) return printJson(ctx, row);
      for (const [k, v] of Object.entries(row))
        ctx.out(`${k.padEnd(18)} ${v === null ? '-' : String(v)}`);
    });
};
