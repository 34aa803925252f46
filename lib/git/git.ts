import { withUmask } from '../perms.js';
import path from 'node:path';
import { CommandError } from '../errors.js';
import type { RunResult, Runner } from '../runner.js';
import { NotARepository } from './errors.js';

/** Git can be slow on a big repository (checkout of a scratch worktree, a push). */
export const GIT_TIMEOUT_MS = 60_000;

/**
 * The environment of every git call: built from nothing, so no GIT_DIR/GIT_WORK_TREE leaking
 * in from a hook or an agent's shell, no user or system config (whose aliases, hooks, pagers or
 * `merge.ff=only` would change what a command does), English messages, and no prompt that
 * would hang a daemon. PATH finds git; HOME and SSH_AUTH_SOCK let a push over ssh use the
 * operator's keys.
 */
export function gitEnv(from: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    LANG: 'C',
    LC_ALL: 'C',
    GIT_TERMINAL_PROMPT: '0',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_CONFIG_NOSYSTEM: '1',
    // reading commands never take index.lock, so an agent's own git in a worktree is not blocked
    GIT_OPTIONAL_LOCKS: '0',
  };
  for (const k of ['PATH', 'HOME', 'SSH_AUTH_SOCK']) if (from[k]) env[k] = from[k];
  return env;
}

/**
 * Before every subcommand. The repository's own config is read (it is the operator's), but the
 * two settings that make any command run a program are closed: hooks (an agent can write
 * `.git/hooks/*`, shared by every worktree, and fleetd would run it) and fsmonitor.
 */
export const SAFE_CONFIG = ['-c', 'core.hooksPath=/dev/null', '-c', 'core.fsmonitor=false'];

/** Before a subcommand that commits: an explicit identity, never signing, no replayed resolutions. */
export const COMMIT_CONFIG = [
  '-c',
  'user.name=Mosaic Fleet',
  '-c',
  'user.email=fleet@localhost',
  '-c',
  'commit.gpgsign=false',
  '-c',
  'rerere.enabled=false',
];

export interface GitOptions {
  runner: Runner;
  /** defaults to gitEnv(process.env) */
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  bin?: string;
  /**
   * The umask git runs with: fleetd keeps 077 for itself, but worktrees and a checked-out base
   * are the operator's files and get the operator's modes (docs/security.md).
   */
  umask?: number;
}

const NOT_A_REPO = /not a git repository|cannot change to/i;

/** The one runner of git: `git -C <repo> <safe config> …args`, an argv array, a timeout. */
export class Git {
  private readonly runner: Runner;
  private readonly env: NodeJS.ProcessEnv;
  private readonly timeoutMs: number;
  private readonly bin: string;
  private readonly umask: number | undefined;

  constructor(opts: GitOptions) {
    this.umask = opts.umask;
    this.runner = opts.runner;
    this.env = opts.env ?? gitEnv();
    this.timeoutMs = opts.timeoutMs ?? GIT_TIMEOUT_MS;
    this.bin = opts.bin ?? 'git';
  }

  argv(repo: string, args: readonly string[]): string[] {
    return [this.bin, '-C', path.resolve(repo), ...SAFE_CONFIG, ...args];
  }

  /** Run and return the result whatever the exit code: the caller names its benign outcomes. */
  exec(repo: string, args: readonly string[], input?: string): Promise<RunResult> {
    const argv = this.argv(repo, args);
    return this.runner(this.umask === undefined ? argv : withUmask(argv, this.umask), {
      timeoutMs: this.timeoutMs,
      env: this.env,
      input,
    });
  }

  /** Run; a non-zero exit or a timeout throws (NotARepository when that is the reason). */
  async run(repo: string, args: readonly string[], input?: string): Promise<string> {
    const r = await this.exec(repo, args, input);
    if (r.exitCode !== 0 || r.timedOut) throw this.failure(repo, args, r);
    return r.stdout;
  }

  failure(repo: string, args: readonly string[], r: RunResult): Error {
    const err = new CommandError(this.argv(repo, args), r.exitCode, r.stdout, r.stderr, {
      timedOut: r.timedOut,
    });
    if (r.exitCode === 128 && NOT_A_REPO.test(r.stderr))
      return new NotARepository(repo, { cause: err });
    return err;
  }
}
