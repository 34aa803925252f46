import type { Command } from 'commander';
import { loadRoster } from '../lib/roster/load.js';
import { ROSTER_VERSION } from '../lib/roster/schema.js';
import { saveRoster, writeAgentEnvFiles } from '../lib/roster/write.js';
import { printJson, type CliContext } from './context.js';

export function registerRoster(program: Command, ctx: CliContext): void {
  const roster = program.command('roster').description('check and maintain roster.yaml');
  roster
    .command('validate [file]')
    .description(
      'validate a roster (default: FLEET_HOME/roster.yaml); errors name file:line:column and the field',
    )
    .option('--json', 'machine-readable output')
    .action((file: string | undefined, flags: { json?: boolean }) => {
      const loaded = loadRoster(file ?? ctx.home.roster);
      const summary = {
        file: loaded.file,
        valid: true,
        version: loaded.roster.version,
        agents: loaded.roster.agents.length,
        migrate_from: loaded.migratedFrom,
      };
      if (flags.json) printJson(ctx, summary);
      else {
        const note = loaded.migratedFrom.length
          ? ` (version ${loaded.migratedFrom[0]}; run fleet roster migrate to upgrade the file to ${ROSTER_VERSION})`
          : '';
        ctx.out(`${loaded.file}: ok, ${summary.agents} agents${note}`);
      }
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
