import type { Command } from 'commander';
import { usage } from '../lib/errors.js';
import { buildRosterText, writeInitRoster, type InitSource } from '../lib/init.js';
import { loadLibrary } from '../lib/library/index.js';
import { listPresets } from '../lib/library/presets.js';
import { RUNTIME_IDS } from '../lib/runtimes/registry.js';
import type { CliContext } from './context.js';
import { rosterTable } from './roster-view.js';

interface InitFlags {
  profile?: string;
  systemType?: string;
  runtime?: string;
  socket?: string;
  write?: boolean;
  force?: boolean;
  json?: boolean;
}

async function ask(
  ctx: CliContext,
  flags: InitFlags,
): Promise<{ source: InitSource; runtime?: string; socket?: string; write: boolean }> {
  const { select, input, Separator } = await import('@inquirer/prompts');
  const lib = loadLibrary(ctx.home);
  const choice = await select<string>({
    message: 'What kind of fleet?',
    pageSize: 16,
    choices: [
      new Separator('── configuration types ──'),
      ...listPresets().map((p) => ({
        name: p.id,
        value: `preset:${p.id}`,
        description: p.description,
      })),
      new Separator('── system types ──'),
      ...[...lib.profiles.values()].map((p) => ({
        name: `${p.id} — ${p.title}`,
        value: `system-type:${p.id}`,
        description: p.description,
      })),
    ],
  });
  const [kind, id] = choice.split(/:(.*)/s) as ['preset' | 'system-type', string];
  let runtime = flags.runtime;
  if (kind === 'system-type' && !runtime) {
    runtime = await select<string>({
      message: 'Which runtime should the seats run?',
      choices: RUNTIME_IDS.map((r) => ({ name: r, value: r })),
    });
  }
  const socket =
    flags.socket ?? (await input({ message: 'tmux socket name', default: 'mosaic-fleet' }));
  return { source: { kind, id }, runtime, socket, write: false };
}

export function registerInit(program: Command, ctx: CliContext): void {
  program
    .command('init')
    .description(
      'build a roster from a preset or a system-type profile (interactive without flags)',
    )
    .option(
      '--profile <preset>',
      'configuration type: minimal, local-canary, general, coding, research, hybrid, demo',
    )
    .option(
      '--system-type <id>',
      'system type: software-delivery, business, marketing, personal-assistant, research, …',
    )
    .option('--runtime <id>', 'runtime for every seat of a system-type roster (default claude)')
    .option('--socket <name>', 'tmux socket name (default mosaic-fleet)')
    .option('--write', `write the roster to FLEET_HOME (otherwise print it)`)
    .option(
      '--force',
      'replace an existing roster.yaml (your roles/ and profiles/ overrides are kept)',
    )
    .option('--json', 'print the resulting roster as JSON')
    .action(async (flags: InitFlags) => {
      if (flags.profile && flags.systemType)
        throw usage('give --profile or --system-type, not both');
      let source: InitSource | undefined = flags.profile
        ? { kind: 'preset', id: flags.profile }
        : flags.systemType
          ? { kind: 'system-type', id: flags.systemType }
          : undefined;
      let runtime = flags.runtime;
      let socket = flags.socket;
      const interactive = !source;
      if (!source) {
        if (!ctx.interactive) {
          throw usage(
            'no terminal for the wizard: pass --profile <preset> or --system-type <id> (see fleet profiles list)',
          );
        }
        ({ source, runtime, socket } = await ask(ctx, flags));
      }
      const built = buildRosterText(() => loadLibrary(ctx.home), ctx.home.roster, {
        source,
        runtime,
        socket,
      });
      if (flags.json) ctx.out(JSON.stringify(built.roster, null, 2));
      else {
        ctx.out(built.text.trimEnd());
        ctx.out('');
        ctx.out(rosterTable(built.roster));
      }
      let write = Boolean(flags.write);
      if (interactive && !write) {
        const { confirm } = await import('@inquirer/prompts');
        write = await confirm({
          message: `Write this roster to ${ctx.home.roster}?`,
          default: true,
        });
      }
      if (!write) {
        if (!flags.json) ctx.out(`(not written: add --write to save it to ${ctx.home.roster})`);
        return;
      }
      writeInitRoster(ctx.home, built, Boolean(flags.force));
      ctx.err(`wrote ${ctx.home.roster} (${built.roster.agents.length} agents); next: fleet up`);
    });
}
