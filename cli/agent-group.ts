import type { Command } from 'commander';

/** The one `fleet agent` command; roster verbs and lifecycle verbs both attach to it. */
export function agentCommand(program: Command): Command {
  const existing = program.commands.find((c) => c.name() === 'agent');
  if (existing) return existing;
  return program.command('agent').description('inspect, control and edit individual agents');
}
