import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { BaseCheckedOut, GitError, WorktreeConflict } from './errors.js';
import { COMMIT_CONFIG, type Git } from './git.js';
import { commitMerge, rebaseIn, type MergeStrategy } from './merge-apply.js';
import { baseAndBranch, resolveCommit } from './refs.js';
import { checkoutOf, listWorktrees } from './worktrees.js';

export interface CheckResult {
  ok: boolean;
  output: string;
}

export interface MergeInput {
  repo: string;
  /** local branch that receives the work */
  base: string;
  /** the card's local branch; never moved or rewritten */
  branch: string;
  strategy: MergeStrategy;
  /** where the scratch worktree goes; must not exist */
  scratchDir: string;
  /** the squash commit's or merge commit's message (rebase keeps the branch's own messages) */
  message: string;
  /** runs on the merged tree; the base moves only when it passes */
  check?: (dir: string) => Promise<CheckResult>;
  /** move base even though a worktree has it checked out (its files are then stale; see below) */
  allowCheckedOutBase?: boolean;
}

export type MergeOutcome =
  | {
      ok: true;
      /** base's new tip (its old one when there was nothing to merge) */
      commit: string;
      previous: string;
      /** the branch commit that was merged: later commits on the branch are not in base */
      merged: string;
      changed: boolean;
      /** the worktree that has base checked out and now shows stale files, when allowed */
      checkedOutBase: string | null;
      checkOutput?: string;
    }
  | { ok: false; reason: 'conflict'; conflict: true; files: string[] }
  | { ok: false; reason: 'check'; check: string }
  | { ok: false; reason: 'base-moved'; expected: string; actual: string | null };

/**
 * The merge gate. Apply the branch to base's tip by the strategy, run the check on the result in
 * a scratch worktree (detached, at the merged commit), and only then move base, with
 * compare-and-swap (`update-ref <ref> <new> <old>`), so a base that moved meanwhile is refused,
 * not overwritten. Base is thus either untouched or at a fully merged and checked commit, never
 * half-merged. Squash and merge are computed without a worktree (merge-apply.ts), so a conflict
 * leaves nothing anywhere; rebase runs in the scratch worktree. The scratch worktree is removed
 * on every path: success, conflict, failed or throwing check, error.
 *
 * A base checked out in some worktree (typically the operator's own clone on `main`) is refused
 * by default: moving the ref does not update that checkout's index and files, so `git status`
 * there would show the merge reversed, and a `commit -a` would undo it. Git refuses the same push
 * (receive.denyCurrentBranch). Run the fleet on a clone whose HEAD is detached or on another
 * branch, or pass `allowCheckedOutBase` and tell the user (`checkedOutBase` names the worktree).
 */
export async function mergeInScratch(git: Git, input: MergeInput): Promise<MergeOutcome> {
  const { repo } = input;
  if (input.message.trim() === '') throw new GitError('USAGE', repo, 'merge message is empty');
  const [base, branch] = await baseAndBranch(git, repo, input.base, input.branch);
  await baseCheckout(git, input);
  const scratch = new Scratch(git, repo, input.scratchDir);
  try {
    const applied =
      input.strategy === 'rebase'
        ? await rebaseIn(git, await scratch.add(base.commit), base.commit, branch.commit)
        : await commitMerge(git, repo, input.strategy, base, branch.commit, input.message);
    if (applied.conflict)
      return { ok: false, reason: 'conflict', conflict: true, files: applied.files };
    if (applied.commit === base.commit)
      return {
        ok: true,
        commit: base.commit,
        previous: base.commit,
        merged: branch.commit,
        changed: false,
        checkedOutBase: null,
      };
    const checked = input.check ? await input.check(await scratch.add(applied.commit)) : undefined;
    if (checked && !checked.ok) return { ok: false, reason: 'check', check: checked.output };
    // the check can take minutes: someone may have checked base out meanwhile
    const holder = await baseCheckout(git, input);
    return await moveBase(git, input, {
      expected: base.commit,
      commit: applied.commit,
      merged: branch.commit,
      checkedOutBase: holder,
      checkOutput: checked?.output,
    });
  } finally {
    await scratch.drop();
  }
}

/** The scratch worktree, created on first use at a commit, and removed only if this call made it. */
class Scratch {
  readonly dir: string;
  private made = false;
  constructor(
    private readonly git: Git,
    private readonly repo: string,
    dir: string,
  ) {
    this.dir = path.resolve(dir);
    if (existsSync(this.dir))
      throw new WorktreeConflict(
        repo,
        this.dir,
        `scratch dir ${this.dir} already exists (left by an earlier merge?); remove it first`,
      );
  }

  /** Check out `commit` here, detached (once; rebase has made it already). */
  async add(commit: string): Promise<string> {
    if (!this.made) {
      await this.git.run(this.repo, ['worktree', 'add', '--detach', '--', this.dir, commit]);
      this.made = true;
    }
    return this.dir;
  }

  /**
   * Remove it whatever state it is in (`--force` twice: changes, untracked files, a lock). Should
   * git fail at it (a check left a file it cannot delete), the directory goes by hand and the
   * worktree entry is pruned.
   */
  async drop(): Promise<void> {
    if (!this.made) return;
    const args = ['worktree', 'remove', '--force', '--force', '--', this.dir];
    const r = await this.git.exec(this.repo, args);
    if (r.exitCode === 0) return;
    rmSync(this.dir, { recursive: true, force: true });
    await this.git.run(this.repo, ['worktree', 'prune']);
  }
}

/** The worktree that has base checked out; refused unless the caller allowed it. */
async function baseCheckout(git: Git, input: MergeInput): Promise<string | null> {
  const holder = checkoutOf(await listWorktrees(git, input.repo), input.base);
  if (holder && !input.allowCheckedOutBase)
    throw new BaseCheckedOut(input.repo, input.base, holder.path);
  return holder?.path ?? null;
}

interface Move {
  expected: string;
  commit: string;
  merged: string;
  checkedOutBase: string | null;
  checkOutput: string | undefined;
}

/** Compare-and-swap base from `expected` to `commit`; a base that moved is refused, not overwritten. */
async function moveBase(git: Git, input: MergeInput, m: Move): Promise<MergeOutcome> {
  const reason = `mosaic-fleet: ${input.strategy} ${input.branch}`;
  const ref = `refs/heads/${input.base}`;
  const args = [...COMMIT_CONFIG, 'update-ref', '-m', reason, ref, m.commit, m.expected];
  const r = await git.exec(input.repo, args);
  if (r.exitCode === 0) {
    const { expected, checkOutput, ...rest } = m;
    const done = { ok: true, ...rest, previous: expected, changed: true } as const;
    return checkOutput === undefined ? done : { ...done, checkOutput };
  }
  const actual = await resolveCommit(git, input.repo, ref);
  if (actual !== m.expected)
    return { ok: false, reason: 'base-moved', expected: m.expected, actual };
  throw git.failure(input.repo, args, r);
}
