import { defaultHomeDir, fleetHome, type FleetHome } from '../lib/home.js';
import { jsonSafe, multiLine } from '../lib/terminal-text.js';

/** What every command gets from the entry point; tests build their own. */
export interface CliContext {
  home: FleetHome;
  env: NodeJS.ProcessEnv;
  out(line: string): void;
  err(line: string): void;
  /** true when stdin and stdout are terminals (interactive prompts allowed) */
  interactive: boolean;
}

/**
 * Every line the CLI prints passes here: control characters from cards, names or panes are
 * shown, never obeyed (lib/terminal-text.ts, docs/security.md "Text that reaches a terminal").
 * Once the reader has gone (`fleet ps | head -1`), the rest is dropped: cli/main.ts turns the
 * EPIPE into a quiet exit.
 */
function writer(stream: NodeJS.WriteStream): (line: string) => void {
  return (l) => {
    if (stream.destroyed) return;
    const safe = multiLine(l);
    stream.write(safe.endsWith('\n') ? safe : safe + '\n');
  };
}

export function defaultContext(env: NodeJS.ProcessEnv = process.env): CliContext {
  return {
    home: fleetHome(defaultHomeDir(env)),
    env,
    out: writer(process.stdout),
    err: writer(process.stderr),
    // asked only by commands that prompt: reading process.stdin builds its stream, which a
    // short call from an agent's pane (stdout a pipe) never needs (docs/pitfalls.md "CLI start-up")
    get interactive() {
      return Boolean(process.stdout.isTTY && process.stdin.isTTY);
    },
  };
}

/** Exact JSON; the few characters JSON.stringify leaves raw for a terminal are \u-escaped. */
export function printJson(ctx: CliContext, value: unknown): void {
  ctx.out(jsonSafe(JSON.stringify(value, null, 2)));
}
