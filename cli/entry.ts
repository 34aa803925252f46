/**
 * The `fleet` command's entry (docs/pitfalls.md "CLI start-up"). It is built twice: as
 * dist/fleet.cjs, the program agents, hooks, units and the package's bin run, and as
 * dist/fleet.mjs, kept runnable for what was set up to call that name. Two calls are answered
 * here: `--version`, and an agent's plain report on the card it holds (`fleet backlog
 * complete|fail|renew --id … --owner … --fence …`, cli/backlog-report.ts), which every card
 * costs. Everything else loads the command parser and the command's own module (cli/main.ts).
 *
 * The CommonJS build is what makes the report cheap: a CommonJS main script never starts
 * Node's ES module loader, which alone costs more CPU than the report's own code.
 */
import { defaultContext } from './context.js';
import { exitCode, failed, messageFor } from './exit.js';
import { multiLine } from '../lib/terminal-text.js';
import { VERSION } from './version.js';

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

async function run(argv: readonly string[]): Promise<number> {
  const ctx = defaultContext();
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    ctx.out(VERSION);
    return 0;
  }
  if (argv[0] === 'backlog' && argv.length > 2) {
    const { quickReport } = await import('./backlog-report.js');
    try {
      if (await quickReport(ctx, argv)) return exitCode();
    } catch (e) {
      return failed(ctx, e);
    }
  }
  const { main } = await import('./main.js');
  return main(ctx, argv);
}

quietWhenReaderLeaves(process.stdout);
quietWhenReaderLeaves(process.stderr);
run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    if (!process.stderr.destroyed) process.stderr.write(`fleet: ${multiLine(messageFor(e))}\n`);
    process.exitCode = 1;
  },
);
