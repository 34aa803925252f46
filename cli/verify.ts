import { fleetVerify } from '../lib/ops/lifecycle.js';
import type { Register } from './commands.js';
import { printJson } from './context.js';
import { fleetDeps } from './fleet-deps.js';

export const registerVerify: Register = (program, ctx) => {
  program
    .command('verify')
    .description(
      "check that every enabled roster agent has its exact, live session on the fleet's socket",
    )
    .option('--json', 'machine-readable result')
    .action(async (o: { json?: boolean }) => {
      const deps = fleetDeps(ctx);
      const r = await fleetVerify(deps);
      if (!r.ok) process.exitCode = 1;
      if (o.json)
        return printJson(ctx, {
          tenant_id: deps.loaded.roster.tenant_id ?? 'default',
          host: deps.host,
          ...r,
        });
      ctx.out(
        `socket ${r.socket}: server ${r.server ? 'running' : 'NOT running'}, placeholder ${r.holder ? 'present' : 'absent'}`,
      );
      for (const n of r.running) ctx.out(`ok       ${n}`);
      for (const n of r.missing) ctx.out(`MISSING  ${n}`);
      for (const n of r.dead) ctx.out(`DEAD     ${n}`);
      for (const n of r.unmanaged) ctx.out(`extra    ${n} (not in the roster; left alone)`);
      for (const n of r.skipped) ctx.out(`skipped  ${n} (disabled or on another host)`);
      ctx.out(r.ok ? 'verify: ok' : 'verify: FAILED');
    });
};
