import type { Command } from 'commander';
import { defaultContext, type CliContext } from './context.js';
import { exitCodeFor, messageFor } from './exit.js';
import { registerFor } from './commands.js';
import { multiLine } from '../lib/terminal-text.js';

/**
 * A reader that stops early (`fleet ps | head -1`) closes the pipe, and the next write fails
 * with EPIPE: Node emits it as an 'error' event on the stream, which unhandled is a crash with a
 * stack trace. The output is simply no longer wanted: the stream is destroyed, the context's
 * writer drops the rest (cli/context.ts), and the command finishes its work and exits with its
 * own code (0 for `ps`) — a command that changes things is never cut off halfway.
 */
function quietWhenReaderLeaves(stream: NodeJS.WriteStream): void {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED') return;
    throw e;
  });
}

const VERSION = process.env.FLEET_VERSION ?? '0.1.0';

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

const exitCode = (): number => (typeof process.exitCode === 'number' ? process.exitCode : 0);

export async function main(argv: string[]): Promise<number> {
  const ctx = defaultContext();
  // answered before the command parser is even loaded (docs/pitfalls.md "CLI start-up")
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    ctx.out(VERSION);
    return 0;
  }
  try {
    // an agent's report on its card, typed as its prompt says, runs without the command parser
    if (argv[0] === 'backlog' && argv.length > 2) {
      const { quickReport } = await import('./backlog-report.js');
      if (await quickReport(ctx, argv)) return exitCode();
    }
    const program = await buildProgram(ctx, argv);
    await program.parseAsync(argv, { from: 'user' });
    return exitCode();
  } catch (e) {
    if (isCommanderError(e)) {
      return e.code === 'commander.helpDisplayed' || e.code === 'commander.version'
        ? 0
        : e.exitCode || 2;
    }
    ctx.err(`fleet: ${messageFor(e)}`);
    if (process.env.FLEET_DEBUG && e instanceof Error) ctx.err(e.stack ?? '');
    return exitCodeFor(e);
  }
}

quietWhenReaderLeaves(process.stdout);
quietWhenReaderLeaves(process.stderr);
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    if (!process.stderr.destroyed) process.stderr.write(`fleet: ${multiLine(messageFor(e))}\n`);
    process.exitCode = 1;
  },
);
