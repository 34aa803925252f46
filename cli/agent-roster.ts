import type { Command } from 'commander';
import { FleetError, usage } from '../lib/errors.js';
import { loadRoster } from '../lib/roster/load.js';
import { resolveAll } from '../lib/roster/resolve.js';
import { agentSchema, type RosterAgent } from '../lib/roster/schema.js';
import { addAgent, retireAgent } from '../lib/ops/roster.js';
import { describeIssues } from '../lib/zod-issues.js';
import { agentCommand } from './agent-group.js';
import { fleetDeps } from './fleet-deps.js';
import { printJson, type CliContext } from './context.js';
import { rosterTable } from './roster-view.js';

interface AddFlags {
  runtime?: string;
  class?: string;
  role?: string;
  model?: string;
  yolo?: boolean;
  command?: string;
  channel?: string[];
  workdir?: string;
  resetBetweenTasks?: boolean;
  persistent?: boolean;
}

const collect = (v: string, prev: string[] = []) => [...prev, v];

/** Build an agent from flags and check it with the one roster schema before touching the file. */
function agentFromFlags(name: string, f: AddFlags): RosterAgent {
  if (!f.runtime) throw usage('--runtime is required (e.g. --runtime claude)');
  if (!f.class) throw usage('--class is required (e.g. --class implementer)');
  const parsed = agentSchema.safeParse({
    name,
    runtime: f.runtime,
    class: f.class,
    role: f.role,
    model: f.model,
    yolo: f.yolo,
    command: f.command,
    channels: f.channel,
    working_directory: f.workdir,
    reset_between_tasks: f.resetBetweenTasks,
    persistent_persona: f.persistent,
  });
  if (!parsed.success) {
    throw new FleetError('USAGE', describeIssues(parsed.error.issues, 'agent', 1));
  }
  return parsed.data;
}

export function registerAgentRoster(program: Command, ctx: CliContext): void {
  const agent = agentCommand(program);
  agent
    .command('roster')
    .description('list the agents in roster.yaml')
    .option('--json', 'machine-readable output')
    .action((flags: { json?: boolean }) => {
      const { roster } = loadRoster(ctx.home.roster);
      if (flags.json) printJson(ctx, resolveAll(roster));
      else ctx.out(rosterTable(roster));
    });

  agent
    .command('add <name>')
    .description('add an agent to roster.yaml (comments and layout kept)')
    .option(
      '--runtime <id>',
      'claude, codex, pi, opencode, gemini, aider, stub, or a custom runtime',
    )
    .option('--class <class>', 'fleet function: orchestrator, enhancer, implementer, reviewer, …')
    .option('--role <class>', 'persona from the role library')
    .option('--model <model>')
    .option('--yolo', 'skip permission prompts')
    .option('--command <cmd>', 'launch command overriding the runtime default')
    .option('--channel <channel>', 'channel (repeatable)', collect)
    .option('--workdir <dir>', 'working directory')
    .option('--reset-between-tasks')
    .option('--persistent', 'persistent persona')
    .action((name: string, flags: AddFlags) => {
      addAgent(ctx.home, agentFromFlags(name, flags));
      ctx.err(`added ${name} to ${ctx.home.roster}`);
    });

  agent
    .command('remove <name>')
    .description(
      'remove an agent: from roster.yaml (refuses to drop the sole orchestrator or enhancer), its session, env and run/ files',
    )
    .action(async (name: string) => {
      const r = await retireAgent(fleetDeps(ctx), name);
      ctx.err(
        `removed ${name} from ${ctx.home.roster}${r.stopped ? '; its session was stopped' : ''}`,
      );
    });
}
