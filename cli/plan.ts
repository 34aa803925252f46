/** `fleet plan`: NORTH_STAR.yaml goals → backlog cards, through fleetd (idempotent). */
import type { Command } from 'commander';
import { loadNorthStar } from '../lib/northstar/load.js';
import { planOps } from '../lib/northstar/plan.js';
import { connectFleetd } from './connect.js';
import { printJson, type CliContext } from './context.js';

export function registerPlan(program: Command, ctx: CliContext): void {
  program
    .command('plan')
    .description('turn NORTH_STAR.yaml goals into backlog cards (goal id = card id; idempotent)')
    .option('--file <path>', 'NORTH_STAR.yaml (default: FLEET_HOME/NORTH_STAR.yaml)')
    .option('--dry-run', 'show what would change')
    .option('--start', 'start fleetd if it is not running')
    .option('--json')
    .action(async (f: { file?: string; dryRun?: boolean; start?: boolean; json?: boolean }) => {
      const ns = loadNorthStar(f.file ?? ctx.home.northStar);
      const client = await connectFleetd(ctx, { start: f.start });
      try {
        const { cards } = await client.backlog.list({ limit: 10_000 });
        const ops = planOps(ns, new Map(cards.map((c) => [c.id, c])));
        if (!f.dryRun) {
          for (const o of ops) {
            if (o.op === 'create') await client.backlog.create(o.input);
            else if (o.op === 'update') await client.backlog.update(o.input);
            else if (o.op === 'link')
              await client.backlog.link({ id: o.id, depends_on: o.depends_on, actor: 'planner' });
            else
              await client.backlog.unlink({ id: o.id, depends_on: o.depends_on, actor: 'planner' });
          }
        }
        const count = (k: string) => ops.filter((o) => o.op === k).length;
        const summary = {
          goals: ns.goals.length,
          created: count('create'),
          updated: count('update'),
          linked: count('link'),
          unlinked: count('unlink'),
          dry_run: Boolean(f.dryRun),
        };
        if (f.json) return printJson(ctx, { ...summary, ops });
        ctx.out(
          `${f.dryRun ? 'would plan' : 'planned'} ${summary.goals} goals: ${summary.created} created, ${summary.updated} updated, ${summary.linked} linked, ${summary.unlinked} unlinked`,
        );
      } finally {
        client.close();
      }
    });
}
