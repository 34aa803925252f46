import type { Command } from 'commander';
import type { FleetDeps } from '../lib/fleet/deps.js';
import { printJson, type CliContext } from './context.js';
import { fleetDeps, numberOption } from './fleet-deps.js';

/**
 * `fleet up` and `fleet restart` share their shape: optional agent names, a stagger between
 * starts, JSON with tenant and host, a report, exit 1 when any start failed.
 */
export function staggeredCommand<R extends { failed: unknown[] }>(
  program: Command,
  ctx: CliContext,
  spec: {
    name: string;
    description: string;
    run(deps: FleetDeps, opts: { only: string[]; staggerMs: number; fresh: boolean }): Promise<R>;
    report(ctx: CliContext, r: R): void;
    /** help of a `--fresh` option (new conversations instead of resumed ones), when it has one */
    fresh?: string;
  },
): void {
  const cmd = program
    .command(spec.name)
    .description(spec.description)
    .argument('[agents...]', 'only these agents')
    .option('--stagger <ms>', 'pause between two starts', '250')
    .option('--json', 'machine-readable result');
  if (spec.fresh) cmd.option('--fresh', spec.fresh);
  cmd.action(async (agents: string[], o: { stagger?: string; json?: boolean; fresh?: boolean }) => {
    const deps = fleetDeps(ctx);
    const r = await spec.run(deps, {
      only: agents,
      staggerMs: numberOption('stagger', o.stagger, 250),
      fresh: o.fresh ?? false,
    });
    if (o.json)
      printJson(ctx, {
        tenant_id: deps.loaded.roster.tenant_id ?? 'default',
        host: deps.host,
        ...r,
      });
    else spec.report(ctx, r);
    if (r.failed.length) process.exitCode = 1;
  });
}
