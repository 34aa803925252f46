import type { Command } from 'commander';
import { CONNECTOR_KINDS, type ConnectorKind } from '../lib/connectors/types.js';
import { usage } from '../lib/errors.js';
import {
  CONNECTOR_DESCRIPTIONS,
  CONNECTOR_FIELDS,
  connectorFromFlags,
  connectorNextStep,
  fieldProblem,
  requireFields,
  type ConnectorChoice,
  type ConnectorFlags,
} from '../lib/init-connector.js';
import { buildRosterText, writeInitRoster, type InitSource } from '../lib/init.js';
import { loadLibrary } from '../lib/library/index.js';
import { listPresets } from '../lib/library/presets.js';
import { RUNTIME_IDS } from '../lib/runtimes/registry.js';
import type { CliContext } from './context.js';
import { rosterTable } from './roster-view.js';

interface InitFlags extends ConnectorFlags {
  profile?: string;
  systemType?: string;
  runtime?: string;
  socket?: string;
  write?: boolean;
  force?: boolean;
  json?: boolean;
}

type GivenConnector = ReturnType<typeof connectorFromFlags>;

/** Ask the kind (unless --connector gave it), then each field of its block no flag gave. */
async function askConnector(given: GivenConnector): Promise<ConnectorChoice> {
  const { select, input } = await import('@inquirer/prompts');
  const kind =
    given.kind ??
    (await select<ConnectorKind>({
      message: 'Which chat connector? (the token is never asked: fleetd reads it from its env)',
      default: 'none',
      choices: CONNECTOR_KINDS.map((k) => ({
        name: k,
        value: k,
        description: CONNECTOR_DESCRIPTIONS[k],
      })),
    }));
  const fields = { ...given.fields };
  for (const f of CONNECTOR_FIELDS[kind]) {
    if (fields[f.key] !== undefined) continue;
    // the roster's own schema judges the value; inquirer shows its message and asks again
    const value = await input({
      message: f.prompt,
      validate: (v) => fieldProblem(kind, f.key, v.trim()) ?? true,
    });
    fields[f.key] = value.trim();
  }
  return { kind, fields };
}

interface Answers {
  source: InitSource;
  runtime?: string;
  socket?: string;
  connector: ConnectorChoice;
}

async function ask(ctx: CliContext, flags: InitFlags, given: GivenConnector): Promise<Answers> {
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
  const connector = await askConnector(given);
  return { source: { kind, id }, runtime, socket, connector };
}

function sourceFromFlags(flags: InitFlags): InitSource | undefined {
  if (flags.profile && flags.systemType) throw usage('give --profile or --system-type, not both');
  if (flags.profile) return { kind: 'preset', id: flags.profile };
  if (flags.systemType) return { kind: 'system-type', id: flags.systemType };
  return undefined;
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
    .option('--connector <kind>', `chat connector: ${CONNECTOR_KINDS.join(', ')} (default none)`)
    .option('--matrix-homeserver <url>', 'matrix: homeserver URL, e.g. https://matrix.example.org')
    .option('--matrix-user <@id>', "matrix: the bot's user id, e.g. @fleet:example.org")
    .option('--matrix-room <!id>', "matrix: the room's internal id, e.g. !abc:example.org")
    .option('--telegram-chat <id>', 'telegram: chat id, e.g. 123456, -100123456 or @channel')
    .option('--webhook-url <url>', 'webhook: the URL notifications are POSTed to')
    .action(async (flags: InitFlags) => {
      let source = sourceFromFlags(flags);
      // flags are checked before any question, so a typo never costs a walk through the wizard
      const given = connectorFromFlags(flags);
      let runtime = flags.runtime;
      let socket = flags.socket;
      let connector: ConnectorChoice | undefined;
      const interactive = !source;
      if (!source) {
        if (!ctx.interactive) {
          throw usage(
            'no terminal for the wizard: pass --profile <preset> or --system-type <id> (see fleet profiles list)',
          );
        }
        ({ source, runtime, socket, connector } = await ask(ctx, flags, given));
      } else if (given.kind) {
        connector = requireFields(given.kind, given.fields);
      }
      const built = buildRosterText(() => loadLibrary(ctx.home), ctx.home.roster, {
        source,
        runtime,
        socket,
        connector,
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
      const next = connector && connectorNextStep(connector.kind);
      if (next) ctx.err(next);
    });
}
