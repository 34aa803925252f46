import { defaultHomeDir, fleetHome, type FleetHome } from '../lib/home.js';

/** What every command gets from the entry point; tests build their own. */
export interface CliContext {
  home: FleetHome;
  env: NodeJS.ProcessEnv;
  out(line: string): void;
  err(line: string): void;
  /** true when stdin and stdout are terminals (interactive prompts allowed) */
  interactive: boolean;
}

export function defaultContext(env: NodeJS.ProcessEnv = process.env): CliContext {
  return {
    home: fleetHome(defaultHomeDir(env)),
    env,
    out: (l) => process.stdout.write(l.endsWith('\n') ? l : l + '\n'),
    err: (l) => process.stderr.write(l.endsWith('\n') ? l : l + '\n'),
    interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
  };
}

export function printJson(ctx: CliContext, value: unknown): void {
  ctx.out(JSON.stringify(value, null, 2));
}
