import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { exitCode, failed } from './exit.js';
import { registerFor } from './commands.js';
import { VERSION } from './version.js';

async function buildProgram(ctx: CliContext, argv: readonly string[]): Promise<Command> {
  const { Command } = await import('commander');
  const program = new Command('fleet')
    .description('Mosaic Fleet: a durable, observable, self-driving fleet of CLI AI agents')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (s) => ctx.out(s), writeErr: (s) => ctx.err(s) })
    .showHelpAfterError('(run with --help for usage)');
  await registerFor(program, ctx, argv);
  return program;
}

/** Commander's own exits (help, version, a usage error), told apart without loading it. */
function isCommanderError(e: unknown): e is Error & { code: string; exitCode: number } {
  const code = (e as { code?: unknown } | null)?.code;
  return e instanceof Error && typeof code === 'string' && code.startsWith('commander.');
}

/**
 * Every command, through the command parser. cli/entry.ts has already answered `--version` and
 * an agent's plain report on its card; everything else comes here.
 */
export async function main(ctx: CliContext, argv: readonly string[]): Promise<number> {
  try {
    const program = await buildProgram(ctx, argv);
    await program.parseAsync(argv, { from: 'user' });
    return exitCode();
  } catch (e) {
    if (isCommanderError(e)) {
      return e.code === 'commander.helpDisplayed' || e.code === 'commander.version'
        ? 0
        : e.exitCode || 2;
    }
    return failed(ctx, e);
  }
}
