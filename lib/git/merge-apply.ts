import { COMMIT_CONFIG, type Git } from './git.js';
import { parseNulList } from './parse.js';
import { mergeTree, type Tip } from './refs.js';

export type MergeStrategy = 'squash' | 'merge' | 'rebase';

export type Applied = { conflict: false; commit: string } | { conflict: true; files: string[] };

/**
 * Squash and merge, without any worktree: the merge `git merge` would make, written as a tree by
 * `merge-tree --write-tree`, then committed on base by `commit-tree` (one parent for a squash,
 * base and branch for a merge commit). A conflict is found before anything exists to clean up.
 * A merge whose tree is base's own changes nothing and makes no commit, for both strategies.
 */
export async function commitMerge(
  git: Git,
  repo: string,
  strategy: 'squash' | 'merge',
  base: Tip,
  branch: string,
  message: string,
): Promise<Applied> {
  const merged = await mergeTree(git, repo, base.commit, branch);
  if (merged.conflicts.length) return { conflict: true, files: merged.conflicts };
  if (merged.tree === base.tree) return { conflict: false, commit: base.commit };
  const parents = strategy === 'merge' ? ['-p', base.commit, '-p', branch] : ['-p', base.commit];
  const args = [...COMMIT_CONFIG, 'commit-tree', merged.tree, ...parents, '-m', message.trim()];
  return { conflict: false, commit: (await git.run(repo, args)).trim() };
}

/**
 * Rebase, in the scratch worktree `dir` (detached at base): replay the branch's own commits onto
 * base (`git rebase <base> <branch>`, both commit ids, so HEAD stays detached and the card's
 * branch never moves). Flags pin what repository config could change: `rebase.updateRefs` would
 * move other branches pointing into the range (the card's own among them), autosquash would
 * reorder commits. A conflict is aborted and reported with the files of the first commit that
 * conflicts (rebase stops there); a branch already in base leaves HEAD at base.
 */
export async function rebaseIn(
  git: Git,
  dir: string,
  base: string,
  branch: string,
): Promise<Applied> {
  const args = [...COMMIT_CONFIG, 'rebase', '--no-autosquash', '--no-autostash'];
  args.push('--no-update-refs', base, branch);
  const r = await git.exec(dir, args);
  if (r.exitCode !== 0 || r.timedOut) {
    const files = r.timedOut ? [] : await unmergedFiles(git, dir);
    // best effort: the caller removes the whole scratch worktree next, whatever the abort did
    await git.exec(dir, ['rebase', '--abort']);
    if (files.length) return { conflict: true, files };
    throw git.failure(dir, args, r);
  }
  return { conflict: false, commit: (await git.run(dir, ['rev-parse', 'HEAD'])).trim() };
}

async function unmergedFiles(git: Git, dir: string): Promise<string[]> {
  const args = ['diff', '--no-relative', '--name-only', '--diff-filter=U', '-z'];
  return [...new Set(parseNulList(await git.run(dir, args)))];
}
