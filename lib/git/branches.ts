import { GitError, WorktreeConflict } from './errors.js';
import { COMMIT_CONFIG, type Git } from './git.js';
import { isMerged } from './merged.js';
import { assertRemote } from './names.js';
import { branchHead } from './refs.js';
import { checkoutOf, listWorktrees } from './worktrees.js';

export type DeleteBranchOptions =
  /** delete whatever it holds */
  | { force: true }
  /** delete only when isMerged(branch, mergedInto) */
  | { force?: false; mergedInto: string };

/**
 * Delete local branch `branch`; returns the commit it pointed at. A branch checked out in a
 * worktree is refused (remove the worktree first). The ref is deleted only if it still points
 * where it was checked (`update-ref -d <ref> <old>`), so a commit an agent makes in between is
 * never lost. Branch config (`branch.<name>.*`, only there if someone set an upstream) is left.
 */
export async function deleteBranch(
  git: Git,
  repo: string,
  branch: string,
  opts: DeleteBranchOptions,
): Promise<string> {
  const sha = await branchHead(git, repo, branch);
  const holder = checkoutOf(await listWorktrees(git, repo), branch);
  if (holder)
    throw new WorktreeConflict(
      repo,
      holder.path,
      `branch "${branch}" is checked out at ${holder.path}; remove that worktree first`,
    );
  if (!opts.force && !(await isMerged(git, repo, branch, opts.mergedInto)))
    throw new GitError(
      'CONFLICT',
      repo,
      `branch "${branch}" has work not merged into "${opts.mergedInto}"; delete it with force to drop it`,
    );
  const args = [...COMMIT_CONFIG, 'update-ref', '-d', `refs/heads/${branch}`, sha];
  const r = await git.exec(repo, args);
  if (r.exitCode === 0) return sha;
  const err = git.failure(repo, args, r);
  if (/but expected|is at/.test(r.stderr))
    throw new GitError('CONFLICT', repo, `branch "${branch}" moved while being deleted; kept`, {
      cause: err,
    });
  throw err;
}

/**
 * Push local branch `branch` to the same name on `remote` (a remote name, URL or path). Never
 * forced: a remote that moved on refuses it, and that is a CommandError with git's reason.
 */
export async function push(git: Git, repo: string, remote: string, branch: string): Promise<void> {
  assertRemote(repo, remote);
  await branchHead(git, repo, branch);
  const ref = `refs/heads/${branch}`;
  await git.run(repo, ['push', '--porcelain', '--end-of-options', remote, `${ref}:${ref}`]);
}
