import type { Command } from 'commander';
import { loadRoster } from '../lib/roster/load.js';
import { ROSTER_VERSION } from '../lib/roster/schema.js';
import { saveRoster, writeAgentEnvFiles } from '../lib/roster/write.js';
import { printJson, type CliContext } from './context.js';
import { Git } from '../lib/git/index.js';
import { rosterRepoProblems } from '../lib/ops/worktrees.js';
import { execFileRunner } from '../lib/runner.js';

export function registerRoster(program: Command, ctx: CliContext): void {
  const roster = program.command('roster').description('check and maintain roster.yaml');
  roster
    .command('validate [file]')
    .description(
      'validate a roster (default: FLEET_HOME/roster.yaml); errors name file:line:column and the field',
    )
    .option('--json', 'machine-readable output')
    .action(async (file: string | undefined, flags: { json?: boolean }) => {
      const loaded = loadRoster(file ?? ctx.home.roster);
      // each repo must be a git repository with its base branch (docs/review.md)
      const repoProblems = await rosterRepoProblems(
        new Git({ runner: execFileRunner }),
        loaded.roster,
      );
      const summary = {
        file: loaded.file,
        valid: repoProblems.length === 0,
        version: loaded.roster.version,
        agents: loaded.roster.agents.length,
        repos: loaded.roster.repos.length,
        repo_problems: repoProblems,
        migrate_from: loaded.migratedFrom,
      };
      if (repoProblems.length) process.exitCode = 1;
      if (flags.json) return printJson(ctx, summary);
      for (const p of repoProblems) ctx.err(`${loaded.file}: ${p}`);
      if (repoProblems.length) return;
      const note = loaded.migratedFrom.length
        ? ` (version ${loaded.migratedFrom[0]}; run fleet roster migrate to upgrade the file to ${ROSTER_VERSION})`
        : '';
      const repos = summary.repos ? `, ${summary.repos} repos` : '';
      ctx.out(`${loaded.file}: ok, ${summary.agents} agents${repos}${note}`);
    });
  roster
    .command('migrate')
    .description(`upgrade roster.yaml to version ${ROSTER_VERSION} in place, keeping comments`)
    .action(() => {
      const loaded = loadRoster(ctx.home.roster);
      if (!loaded.migratedFrom.length) {
        ctx.out(`${loaded.file} is already version ${ROSTER_VERSION}`);
        return;
      }
      saveRoster(loaded);
      ctx.out(`${loaded.file}: migrated ${loaded.migratedFrom.join(' → ')} → ${ROSTER_VERSION}`);
    });
  roster
    .command('env')
    .description('regenerate agents/<name>.env from roster.yaml')
    .action(() => {
      for (const f of writeAgentEnvFiles(ctx.home, loadRoster(ctx.home.roster))) ctx.out(f);
    });
}
