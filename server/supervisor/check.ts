import { execFile } from 'node:child_process';
import { withUmask } from '@/lib/perms.js';
import { splitCommand } from '@/lib/roster/resolve.js';
import { operatorUmask } from '@/lib/umask.js';

export interface CheckResult {
  ok: boolean;
  exitCode: number | null;
  output: string;
}

const MAX_OUTPUT = 4000;

/**
 * Run a card's acceptance check in the agent's working directory. The command is split into
 * argv and run without a shell evaluating it (docs/architecture.md invariant 3; the umask wrapper only
 * passes the words on, lib/perms.ts); its env is a small allowlist. It writes in the operator's
 * repository, so it gets their umask back, not fleetd's 077 (docs/security.md "Other local
 * users").
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
  const [file, ...args] = withUmask(argv, operatorUmask());
  return new Promise((resolve) => {
    execFile(
      file!,
      args,
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
