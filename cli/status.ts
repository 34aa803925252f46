import { existsSync } from 'node:fs';
import { gatherPs } from '../lib/ops/snapshot.js';
import { READINESS } from '../lib/readiness.js';
import { oneLine } from '../lib/terminal-text.js';
import type { Register } from './commands.js';
import { printJson } from './context.js';
import { fleetDeps } from './fleet-deps.js';

export const registerStatus: Register = (program, ctx) => {
  program
    .command('status')
    .description('summary of the fleet: server, agents alive, readiness, boot enablement, pause')
    .option('--json', 'machine-readable summary')
    .action(async (o: { json?: boolean }) => {
      const deps = fleetDeps(ctx);
      const server = await deps.tmux.serverRunning();
      const ps = await gatherPs(deps);
      const managed = ps.agents.filter((r) => r.managed);
      const counts = Object.fromEntries(
        READINESS.map((k) => [k, managed.filter((r) => r.readiness === k).length]),
      );
      const summary = {
        tenant_id: ps.tenant_id,
        host: ps.host,
        socket: ps.socket,
        server,
        paused: existsSync(deps.home.paused),
        agents: managed.length,
        alive: managed.filter((r) => r.session === 'alive').length,
        readiness: counts,
        unmanaged: ps.agents.filter((r) => !r.managed).map((r) => r.name),
        boot: ps.boot,
      };
      if (o.json) return printJson(ctx, summary);
      ctx.out(
        `fleet on socket ${summary.socket} (host ${summary.host}, tenant ${summary.tenant_id})`,
      );
      ctx.out(
        `tmux server: ${server ? 'running' : 'not running'}${summary.paused ? ' · PAUSED' : ''}`,
      );
      ctx.out(
        `agents: ${summary.alive}/${summary.agents} alive · ` +
          READINESS.map((k) => `${k} ${counts[k]}`).join(', '),
      );
      // tmux session names are anyone's on the socket: one line each (lib/terminal-text.ts)
      if (summary.unmanaged.length)
        ctx.out(`unmanaged sessions: ${summary.unmanaged.map(oneLine).join(', ')}`);
      if (ps.boot?.warning) ctx.out(`boot: ${oneLine(ps.boot.warning)}`);
    });
};
