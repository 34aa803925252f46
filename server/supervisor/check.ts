import { execFile } from 'node:child_process';
import { splitCommand } from '../../lib/roster/resolve.js';

export interface CheckResult {
  ok: boolean;
  exitCode: number | null;
  output: string;
}

const MAX_OUTPUT = 4000;

/**
 * Run a card's acceptance check in the agent's working directory. The command is split into
 * argv and run without a shell (DESIGN.md invariant 3); its env is a small allowlist.
 */
export function runCheck(command: string, cwd: string, timeoutMs = 120_000): Promise<CheckResult> {
  let argv: string[];
  try {
    argv = splitCommand(command);
  } catch (e) {
    return Promise.resolve({ ok: false, exitCode: null, output: (e as Error).message });
  }
  if (!argv.length)
    return Promise.resolve({ ok: false, exitCode: null, output: 'empty check command' });
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? cwd,
    LANG: 'C.UTF-8',
  };
  return new Promise((resolve) => {
    execFile(
      argv[0]!,
      argv.slice(1),
      { cwd, env, timeout: timeoutMs, maxBuffer: 4 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const output = `${stdout}${stderr}`.trim().slice(-MAX_OUTPUT);
        if (!err) return resolve({ ok: true, exitCode: 0, output });
        const code = typeof err.code === 'number' ? err.code : null;
        resolve({ ok: false, exitCode: code, output: output || err.message });
      },
    );
  });
}
