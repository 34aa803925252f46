import { COMMIT_CONFIG, type Git } from './git.js';
import { baseAndBranch, isAncestor, mergeBase, mergeTree } from './refs.js';

/**
 * Whether the work on `branch` is in `base`, so deleting the branch loses nothing. True when any
 * of these holds, tried cheapest first:
 *
 * 1. The branch tip is an ancestor of base: a fast-forward or a merge commit (or a branch with no
 *    commits of its own).
 * 2. Merging it into base now would change nothing: `git merge-tree --write-tree base branch` is
 *    clean and its tree is base's own tree. This is what recognises a squash merge (and a rebase
 *    or cherry-pick), whose commits are not ancestors of base. `git diff base...branch` being
 *    empty is *not* the test: that diff runs from the merge base, so after a squash it still
 *    shows the whole change.
 * 3. Base has since changed those lines (or lines next to them), so (2) conflicts: the branch's
 *    whole change since the merge base, as one commit, has the patch-id of a commit on base
 *    (`git cherry` prints "-" for it). That commit is made with `commit-tree` and left
 *    unreferenced (git gc drops it).
 *
 * A squash is missed only when both happened: base changed the lines around it before it landed
 * (so its patch differs) and rewrote them after. The merge gate's returned commit is the
 * authoritative record of what it merged.
 */
export async function isMerged(
  git: Git,
  repo: string,
  branch: string,
  base: string,
): Promise<boolean> {
  const [b, h] = await baseAndBranch(git, repo, base, branch);
  if (await isAncestor(git, repo, h.commit, b.commit)) return true;
  const merged = await mergeTree(git, repo, b.commit, h.commit);
  if (merged.conflicts.length === 0 && merged.tree === b.tree) return true;
  return squashInBase(git, repo, b.commit, h.commit);
}

/** Rule 3: the branch's change squashed into one commit is patch-equivalent to one on base. */
async function squashInBase(git: Git, repo: string, b: string, h: string): Promise<boolean> {
  const mb = await mergeBase(git, repo, b, h);
  const squash = (
    await git.run(repo, [...COMMIT_CONFIG, 'commit-tree', `${h}^{tree}`, '-p', mb, '-m', 'squash'])
  ).trim();
  const out = await git.run(repo, ['cherry', b, squash, mb]);
  return out.split('\n').some((l) => l.startsWith('- '));
}
