/** `fleet plan`: NORTH_STAR.yaml goals → backlog cards, through fleetd (idempotent). */
import type { Command } from 'commander';
import { loadNorthStar } from '../lib/northstar/load.js';
import { applyNorthStar, planLine } from '../lib/ops/plan.js';
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
        const b = client.backlog;
        const r = await applyNorthStar(
          {
            cards: async () => (await b.list({ limit: 10_000 })).cards,
            create: (i) => b.create(i),
            update: (i) => b.update(i),
            link: (i) => b.link(i),
            unlink: (i) => b.unlink(i),
          },
          ns,
          { dryRun: f.dryRun },
        );
        if (f.json) return printJson(ctx, r);
        ctx.out(planLine(r));
      } finally {
        client.close();
      }
    });
}
