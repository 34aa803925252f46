import { FleetError, type ErrorCode } from '../errors.js';

/**
 * Domain errors of the git adapter. A git command that fails for any other reason is a
 * CommandError (lib/errors.ts) with the full argv and git's stderr.
 */
export class GitError extends FleetError {
  readonly repo: string;
  constructor(
    code: Extract<ErrorCode, 'NOT_FOUND' | 'CONFLICT' | 'USAGE'>,
    repo: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
    this.repo = repo;
  }
}

export class NotARepository extends GitError {
  constructor(repo: string, options?: { cause?: unknown }) {
    super('NOT_FOUND', repo, `${repo} is not a git repository`, options);
  }
}

export type BranchRole = 'base' | 'branch';

export class UnknownBranch extends GitError {
  readonly branch: string;
  readonly role: BranchRole;
  constructor(repo: string, branch: string, role: BranchRole) {
    const what = role === 'base' ? 'unknown base branch' : 'unknown branch';
    super('NOT_FOUND', repo, `${what} "${branch}" in ${repo}`);
    this.branch = branch;
    this.role = role;
  }
}

/** A branch or remote name git would refuse or misread; refused before any git call. */
export class InvalidGitName extends GitError {
  readonly field: string;
  readonly value: string;
  constructor(repo: string, field: string, value: string, problem: string) {
    super('USAGE', repo, `invalid ${field} ${JSON.stringify(value)}: ${problem}`);
    this.field = field;
    this.value = value;
  }
}

/** A worktree directory or branch already in a state the call would have to destroy. */
export class WorktreeConflict extends GitError {
  readonly dir: string;
  constructor(repo: string, dir: string, message: string, options?: { cause?: unknown }) {
    super('CONFLICT', repo, message, options);
    this.dir = dir;
  }
}

/** The merge gate's base branch is checked out in a worktree whose files it would leave stale. */
export class BaseCheckedOut extends GitError {
  readonly base: string;
  readonly worktree: string;
  constructor(repo: string, base: string, worktree: string) {
    super(
      'CONFLICT',
      repo,
      `base branch "${base}" is checked out at ${worktree}; moving it there would leave that ` +
        `checkout's files stale (git refuses the same push: receive.denyCurrentBranch). ` +
        `Detach or switch that checkout, or merge into a branch nobody has checked out`,
    );
    this.base = base;
    this.worktree = worktree;
  }
}
