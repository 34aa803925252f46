/**
 * `fleet worktree`: the git worktrees of repo cards (docs/review.md), through fleetd's worktree
 * operations (lib/ops/worktrees.ts): list them, and prune the merged or empty ones — never one
 * with unmerged commits.
 */
import type { Command } from 'commander';
import type { Register } from './commands.js';
import { connectFleetd } from './connect.js';
import { printJson, type CliContext } from './context.js';
import { renderPrune, renderWorktrees } from './review-format.js';

export const registerWorktree: Register = (program: Command, ctx: CliContext) => {
  const worktree = program.command('worktree').description('the git worktrees of repo cards');

  worktree
    .command('list')
    .description('every worktree: its card, branch, merged or not, dirty, size')
    .option('--json', 'print the JSON answer')
    .action(async (o: { json?: boolean }) => {
      const client = await connectFleetd(ctx);
      try {
        const r = await client.worktree.list();
        if (o.json) printJson(ctx, r);
        else ctx.out(renderWorktrees(r.worktrees));
      } finally {
        client.close();
      }
    });

  worktree
    .command('prune')
    .description('remove merged or empty worktrees and their branches (never unmerged work)')
    .option('--dry-run', 'say what would be removed, remove nothing')
    .option('--json', 'print the JSON answer')
    .action(async (o: { json?: boolean; dryRun?: boolean }) => {
      const client = await connectFleetd(ctx);
      try {
        const r = await client.worktree.prune({ dry_run: Boolean(o.dryRun) });
        if (o.json) printJson(ctx, r);
        else for (const l of renderPrune(r)) ctx.out(l);
      } finally {
        client.close();
      }
    });
};
