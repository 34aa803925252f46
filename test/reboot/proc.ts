import { spawn } from 'node:child_process';

/** The outcome of one command: its exit code (null when it was killed or never started). */
export interface Ran {
  argv: readonly string[];
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** set when the program could not be started at all (ENOENT, EACCES) */
  spawnError: string | null;
}

/**
 * Run one argv (never a shell string) with a timeout. A command that outlives its timeout is
 * killed by its own pid, nothing broader.
 */
export function run(
  argv: readonly string[],
  opts: { timeoutMs: number; cwd?: string; env?: NodeJS.ProcessEnv },
): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(argv[0]!, argv.slice(1), {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let spawnError: string | null = null;
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid) process.kill(child.pid, 'SIGKILL');
    }, opts.timeoutMs);
    child.on('error', (e) => (spawnError = e.message));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ argv, code, stdout, stderr, timedOut, spawnError });
    });
  });
}

export const ok = (r: Ran): boolean => r.code === 0 && !r.timedOut && r.spawnError === null;

/** One line naming the command and how it failed, for NOT RUN and failure messages. */
export function describe(r: Ran): string {
  const how = r.spawnError
    ? `could not start: ${r.spawnError}`
    : r.timedOut
      ? 'timed out'
      : `exit ${r.code}`;
  const err = (r.stderr.trim() || r.stdout.trim()).split('\n').slice(-5).join(' | ');
  return `\`${r.argv.join(' ')}\` (${how})${err ? `: ${err}` : ''}`;
}

/** A failure after preflight: the test ran and something it checks did not hold. */
export class RebootFailure extends Error {
  override name = 'RebootFailure';
}

/** Preflight could not give us a bootable container: the test did not run (exit 77). */
export class NotRun extends Error {
  override name = 'NotRun';
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What a probe returns while the condition does not hold yet: the reason, for the timeout. */
export class Wait {
  constructor(readonly reason: string) {}
}

/** Poll `probe` until it returns a value (not a Wait) or `timeoutMs` passes. */
export async function until<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | Wait>,
  intervalMs = 1000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (!(v instanceof Wait)) return v;
    if (Date.now() > deadline)
      throw new RebootFailure(
        `timed out after ${timeoutMs / 1000} s waiting for ${what}; last seen: ${v.reason}`,
      );
    await sleep(intervalMs);
  }
}

const t0 = Date.now();

/** A progress line with the time since the runner started. */
export function progress(line: string): void {
  const s = ((Date.now() - t0) / 1000).toFixed(1).padStart(6);
  console.log(`[reboot ${s}s] ${line}`);
}

export const seconds = (fromMs: number): string => `${((Date.now() - fromMs) / 1000).toFixed(1)} s`;
