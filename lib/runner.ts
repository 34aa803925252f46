import { execFile, spawn } from 'node:child_process';

/**
 * How every external program is run: an argv array through execFile, never a shell string
 * (docs/architecture.md "Layers"). The runner is injected at the composition
 * root; unit tests pass a recording runner and assert the exact argv.
 */
export interface RunOptions {
  /** kill the program after this long; every call has one (docs/pitfalls.md "Copy mode swallows keys": tmux can block on a prompt) */
  timeoutMs?: number;
  /** written to the program's stdin, which is then closed */
  input?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export interface RunResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** Runs a program to completion. Never throws for a non-zero exit: callers name their benign outcomes. */
export type Runner = (argv: readonly string[], opts?: RunOptions) => Promise<RunResult>;

/** Runs a program on the caller's terminal (stdio inherited) and resolves with its exit code. */
export type InteractiveRunner = (
  argv: readonly string[],
  opts?: { env?: NodeJS.ProcessEnv },
) => Promise<number>;

export const DEFAULT_TIMEOUT_MS = 5_000;

export const execFileRunner: Runner = (argv, opts = {}) =>
  new Promise((resolve) => {
    const [file, ...args] = argv;
    if (!file) throw new Error('empty argv');
    const child = execFile(
      file,
      args,
      {
        timeout: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        killSignal: 'SIGKILL',
        maxBuffer: 64 * 1024 * 1024,
        env: opts.env,
        cwd: opts.cwd,
        encoding: 'utf8',
      },
      (error, stdout, stderr) => {
        if (!error) return resolve({ exitCode: 0, stdout, stderr, timedOut: false });
        const e = error as NodeJS.ErrnoException & { code?: unknown; killed?: boolean };
        const timedOut = Boolean(e.killed) && typeof e.code !== 'number';
        const exitCode = typeof e.code === 'number' ? e.code : null;
        // spawn failures (ENOENT …) have no stderr of their own: surface the reason
        const why = typeof e.code === 'string' ? `${e.code}: ${e.message}` : '';
        resolve({ exitCode, stdout: stdout ?? '', stderr: stderr || why, timedOut });
      },
    );
    if (opts.input !== undefined) child.stdin?.end(opts.input);
    else child.stdin?.end();
  });

export const inheritRunner: InteractiveRunner = (argv, opts = {}) =>
  new Promise((resolve, reject) => {
    const [file, ...args] = argv;
    if (!file) throw new Error('empty argv');
    const child = spawn(file, args, { stdio: 'inherit', env: opts.env });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });

export interface RecordedCall {
  argv: string[];
  opts: RunOptions;
}

/**
 * A runner for unit tests: records every argv and answers from `respond` (default: success,
 * empty output).
 */
export function recordingRunner(
  respond: (argv: readonly string[], opts: RunOptions) => Partial<RunResult> | undefined = () =>
    undefined,
): Runner & { calls: RecordedCall[] } {
  const calls: RecordedCall[] = [];
  const run = (async (argv: readonly string[], opts: RunOptions = {}) => {
    calls.push({ argv: [...argv], opts });
    const r = respond(argv, opts) ?? {};
    return { exitCode: 0, stdout: '', stderr: '', timedOut: false, ...r };
  }) as Runner & { calls: RecordedCall[] };
  run.calls = calls;
  return run;
}
