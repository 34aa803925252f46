import { GitError, UnknownBranch, type BranchRole } from './errors.js';
import type { Git } from './git.js';
import { assertBranchName } from './names.js';
import {
  parseLeftRight,
  parseMergeTree,
  parseRefTips,
  type AheadBehind,
  type MergeTreeResult,
} from './parse.js';

/**
 * Branch arguments of this module are local branch names: they are validated, then always
 * resolved through `refs/heads/<name>` to a commit id, and only ids reach later commands, so a
 * name can never be read as an option, a path or another kind of ref.
 */

/** True when `dir` is inside a git work tree or is a git directory (bare repositories too). */
export async function isRepo(git: Git, dir: string): Promise<boolean> {
  const args = ['rev-parse', '--git-dir'];
  const r = await git.exec(dir, args);
  if (r.exitCode === 0) return true;
  const err = git.failure(dir, args, r);
  if (err instanceof GitError) return false; // NotARepository, a missing dir included
  throw err;
}

/** The commit `ref` names, or null when it names none; exit 1 of `--verify --quiet` is "no such ref". */
export async function resolveCommit(git: Git, repo: string, ref: string): Promise<string | null> {
  const args = ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`];
  const r = await git.exec(repo, args);
  if (r.exitCode === 0) return r.stdout.trim();
  if (r.exitCode === 1 && !r.timedOut) return null;
  throw git.failure(repo, args, r);
}

export async function branchExists(git: Git, repo: string, branch: string): Promise<boolean> {
  assertBranchName(repo, branch);
  return (await resolveCommit(git, repo, `refs/heads/${branch}`)) !== null;
}

/** The commit id of any ref (a branch, tag, `HEAD`, an id); an unknown ref is a NOT_FOUND error. */
export async function headOf(git: Git, repo: string, ref: string): Promise<string> {
  const sha = await resolveCommit(git, repo, ref);
  if (sha === null) throw new GitError('NOT_FOUND', repo, `unknown ref "${ref}" in ${repo}`);
  return sha;
}

/** The tip of local branch `branch`, or UnknownBranch naming its role ("unknown base branch"). */
export async function branchHead(
  git: Git,
  repo: string,
  branch: string,
  role: BranchRole = 'branch',
): Promise<string> {
  assertBranchName(repo, branch, role);
  const sha = await resolveCommit(git, repo, `refs/heads/${branch}`);
  if (sha === null) throw new UnknownBranch(repo, branch, role);
  return sha;
}

export interface Tip {
  branch: string;
  commit: string;
  /** the commit's tree */
  tree: string;
}

/**
 * The tips of several local branches in one call (`for-each-ref`, which matches a pattern as a
 * prefix too, hence the exact filter; glob characters never pass assertBranchName). A missing
 * one is UnknownBranch with its role.
 */
export async function branchTips(
  git: Git,
  repo: string,
  wanted: readonly (readonly [string, BranchRole])[],
): Promise<Tip[]> {
  for (const [name, role] of wanted) assertBranchName(repo, name, role);
  const refs = wanted.map(([name]) => `refs/heads/${name}`);
  const format = '--format=%(refname)%00%(objectname)%00%(tree)';
  const found = parseRefTips(await git.run(repo, ['for-each-ref', format, ...refs]));
  return wanted.map(([name, role]) => {
    const t = found.find((x) => x.ref === `refs/heads/${name}`);
    if (!t) throw new UnknownBranch(repo, name, role);
    return { branch: name, commit: t.commit, tree: t.tree };
  });
}

/** Tips of a base and a branch: the pair most calls here start from. */
export async function baseAndBranch(
  git: Git,
  repo: string,
  base: string,
  branch: string,
): Promise<[Tip, Tip]> {
  const [b, h] = await branchTips(git, repo, [
    [base, 'base'],
    [branch, 'branch'],
  ]);
  return [b!, h!];
}

/**
 * The three-way merge of commit `theirs` into commit `ours`, written as a tree without touching
 * any worktree or the index (`merge-tree --write-tree`, git ≥ 2.38: the same merge `git merge`
 * makes). Exit 1 means conflicts, listed by path.
 */
export async function mergeTree(
  git: Git,
  repo: string,
  ours: string,
  theirs: string,
): Promise<MergeTreeResult> {
  const args = ['merge-tree', '--write-tree', '--name-only', '-z', ours, theirs];
  const r = await git.exec(repo, args);
  if (r.timedOut || (r.exitCode !== 0 && r.exitCode !== 1)) throw git.failure(repo, args, r);
  const m = parseMergeTree(r.stdout);
  if ((r.exitCode === 1) !== m.conflicts.length > 0) throw git.failure(repo, args, r);
  return m;
}

/** The best common ancestor of two commits; histories with none are refused. */
export async function mergeBase(git: Git, repo: string, a: string, b: string): Promise<string> {
  const args = ['merge-base', a, b];
  const r = await git.exec(repo, args);
  if (r.exitCode === 0) return r.stdout.trim();
  if (r.exitCode === 1 && r.stdout === '')
    throw new GitError('CONFLICT', repo, `${a} and ${b} have no common history`);
  throw git.failure(repo, args, r);
}

/** True when commit `a` is an ancestor of (or equal to) commit `b`. */
export async function isAncestor(git: Git, repo: string, a: string, b: string): Promise<boolean> {
  const args = ['merge-base', '--is-ancestor', a, b];
  const r = await git.exec(repo, args);
  if (r.exitCode === 0) return true;
  if (r.exitCode === 1 && !r.timedOut) return false;
  throw git.failure(repo, args, r);
}

/** How many commits `branch` has that `base` lacks (ahead), and the reverse (behind). */
export async function aheadBehind(
  git: Git,
  repo: string,
  branch: string,
  base: string,
): Promise<AheadBehind> {
  const [b, h] = await baseAndBranch(git, repo, base, branch);
  const range = `${b.commit}...${h.commit}`;
  return parseLeftRight(await git.run(repo, ['rev-list', '--left-right', '--count', range, '--']));
}
