import type { Command } from 'commander';
import type { CliContext } from './context.js';

/** Every top-level command registers itself; one file per command under cli/. */
export type Register = (program: Command, ctx: CliContext) => void;

/**
 * The commands, each with the top-level names it registers and how to load it. A call loads only
 * the modules of the command it names (agents call `fleet` on every card: start-up is per call;
 * docs/pitfalls.md "CLI start-up"); `--help`, `help` and an unknown name load them all, so
 * commander lists and suggests every command. cli/commands.test.ts checks each entry registers
 * exactly the names it claims.
 */
export interface CommandEntry {
  names: readonly string[];
  load(): Promise<Register>;
}

export const COMMANDS: readonly CommandEntry[] = [
  { names: ['init'], load: async () => (await import('./init.js')).registerInit },
  { names: ['roster'], load: async () => (await import('./roster.js')).registerRoster },
  { names: ['agent'], load: async () => (await import('./agent-roster.js')).registerAgentRoster },
  {
    names: ['agent', 'comms-block'],
    load: async () => (await import('./agent-contract.js')).registerAgentContract,
  },
  {
    names: ['profiles', 'roles', 'runtimes'],
    load: async () => (await import('./library.js')).registerLibrary,
  },
  { names: ['northstar'], load: async () => (await import('./northstar.js')).registerNorthStar },
  { names: ['serve'], load: async () => (await import('./serve.js')).registerServe },
  { names: ['pause', 'resume'], load: async () => (await import('./pause.js')).registerPause },
  { names: ['drain'], load: async () => (await import('./drain.js')).registerDrain },
  { names: ['update'], load: async () => (await import('./update.js')).registerUpdate },
  { names: ['inbox'], load: async () => (await import('./inbox.js')).registerInbox },
  { names: ['connector'], load: async () => (await import('./connector.js')).registerConnector },
  { names: ['plan'], load: async () => (await import('./plan.js')).registerPlan },
  {
    names: ['supervisor'],
    load: async () => (await import('./supervisor.js')).registerSupervisor,
  },
  { names: ['backlog'], load: async () => (await import('./backlog.js')).registerBacklog },
  { names: ['review'], load: async () => (await import('./review.js')).registerReview },
  { names: ['worktree'], load: async () => (await import('./worktree.js')).registerWorktree },
  { names: ['db'], load: async () => (await import('./db.js')).registerDb },
  { names: ['up'], load: async () => (await import('./up.js')).registerUp },
  { names: ['down'], load: async () => (await import('./down.js')).registerDown },
  { names: ['restart'], load: async () => (await import('./restart.js')).registerRestart },
  { names: ['status'], load: async () => (await import('./status.js')).registerStatus },
  { names: ['verify'], load: async () => (await import('./verify.js')).registerVerify },
  { names: ['ps'], load: async () => (await import('./ps.js')).registerPs },
  { names: ['tmux'], load: async () => (await import('./tmux-server.js')).registerTmuxServer },
  {
    names: ['install-systemd', 'uninstall-systemd'],
    load: async () => (await import('./systemd.js')).registerSystemd,
  },
  { names: ['hook'], load: async () => (await import('./hook.js')).registerHook },
  { names: ['agent'], load: async () => (await import('./agent-watch.js')).registerAgentWatch },
  { names: ['agent'], load: async () => (await import('./agent-send.js')).registerAgentSend },
  { names: ['agent'], load: async () => (await import('./agent-reset.js')).registerAgentReset },
  { names: ['agent'], load: async () => (await import('./agent-tail.js')).registerAgentTail },
  { names: ['agent'], load: async () => (await import('./agent-status.js')).registerAgentStatus },
  {
    names: ['agent'],
    load: async () => (await import('./agent-timeline.js')).registerAgentTimeline,
  },
  {
    names: ['agent'],
    load: async () => (await import('./agent-give-contract.js')).registerAgentGiveContract,
  },
  { names: ['user'], load: async () => (await import('./user.js')).registerUser },
];

/**
 * The entries a call needs: those that register its command name (the first word that is not an
 * option), or every entry when it names none, asks for help, or names no known command. A bare
 * `--version` needs none.
 */
export function entriesFor(
  argv: readonly string[],
  all: readonly CommandEntry[] = COMMANDS,
): readonly CommandEntry[] {
  const first = argv.find((a) => !a.startsWith('-'));
  if (first === undefined)
    return argv.some((a) => a === '-V' || a === '--version') &&
      !argv.some((a) => a === '-h' || a === '--help')
      ? []
      : all;
  const named = all.filter((e) => e.names.includes(first));
  return named.length ? named : all;
}

/** Load and register what `argv` needs, in the order of COMMANDS. */
export async function registerFor(
  program: Command,
  ctx: CliContext,
  argv: readonly string[],
): Promise<void> {
  const regs = await Promise.all(entriesFor(argv).map((e) => e.load()));
  for (const register of regs) register(program, ctx);
}
