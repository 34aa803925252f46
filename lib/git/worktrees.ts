import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { WorktreeConflict } from './errors.js';
import type { Git } from './git.js';
import { assertBranchName } from './names.js';
import { parseWorktreeList, type Worktree } from './parse.js';
import { branchHead, resolveCommit } from './refs.js';

export async function listWorktrees(git: Git, repo: string): Promise<Worktree[]> {
  return parseWorktreeList(await git.run(repo, ['worktree', 'list', '--porcelain', '-z']));
}

/** Same directory, whether or not either spelling goes through a symlink. */
export function samePath(a: string, b: string): boolean {
  const ra = path.resolve(a);
  const rb = path.resolve(b);
  if (ra === rb) return true;
  const real = (p: string): string => (existsSync(p) ? realpathSync(p) : p);
  return real(ra) === real(rb);
}

export function worktreeAt(list: readonly Worktree[], dir: string): Worktree | undefined {
  return list.find((w) => samePath(w.path, dir));
}

/** The worktree that has `branch` checked out, if any. */
export function checkoutOf(list: readonly Worktree[], branch: string): Worktree | undefined {
  return list.find((w) => !w.bare && w.branch === branch);
}

export interface AddedWorktree {
  dir: string;
  branch: string;
  head: string;
  /** 'branch': new branch and worktree; 'worktree': an existing branch re-attached; 'none': it was there */
  created: 'branch' | 'worktree' | 'none';
}

/**
 * Give `branch` a worktree at `dir`. A new branch starts at local branch `base`; a branch that
 * exists already (a card that comes back) is checked out as it is, `base` unused. The call is
 * idempotent for the same dir and branch; any other directory that exists is refused, never
 * reused or emptied.
 */
export async function addWorktree(
  git: Git,
  repo: string,
  dir: string,
  branch: string,
  base: string,
): Promise<AddedWorktree> {
  assertBranchName(repo, branch);
  const abs = path.resolve(dir);
  const list = await listWorktrees(git, repo);
  const here = worktreeAt(list, abs);
  if (here && here.branch === branch && !here.prunable)
    return {
      dir: abs,
      branch,
      head: here.head ?? (await branchHead(git, repo, branch)),
      created: 'none',
    };
  if (here && !here.prunable) {
    const what = here.branch ? `branch "${here.branch}"` : 'a detached HEAD';
    throw new WorktreeConflict(repo, abs, `${abs} is already the worktree of ${what}`);
  }
  const holder = checkoutOf(list, branch);
  if (holder && !holder.prunable)
    throw new WorktreeConflict(
      repo,
      abs,
      `branch "${branch}" is already checked out at ${holder.path}`,
    );
  if (existsSync(abs))
    throw new WorktreeConflict(repo, abs, `${abs} exists and is not the worktree of "${branch}"`);
  // a worktree whose directory was deleted still holds its branch until pruned
  if (here || holder) await git.run(repo, ['worktree', 'prune']);

  const existing = await resolveCommit(git, repo, `refs/heads/${branch}`);
  if (existing !== null) {
    // a short branch name: `worktree add` checks it out (a full refs/heads/… would detach)
    await git.run(repo, ['worktree', 'add', '--', abs, branch]);
    return { dir: abs, branch, head: existing, created: 'worktree' };
  }
  const start = await branchHead(git, repo, base, 'base');
  await git.run(repo, ['worktree', 'add', '--no-track', '-b', branch, '--', abs, start]);
  return { dir: abs, branch, head: start, created: 'branch' };
}

export interface RemoveOptions {
  /** discard uncommitted changes and untracked files, and remove a locked worktree */
  force?: boolean;
}

/**
 * Remove the worktree at `dir` (never the main one). False when no worktree was there (benign);
 * a directory there that is not a worktree of `repo` is refused, not deleted. Without force, a
 * worktree with changes is refused with a WorktreeConflict.
 */
export async function removeWorktree(
  git: Git,
  repo: string,
  dir: string,
  opts: RemoveOptions = {},
): Promise<boolean> {
  const abs = path.resolve(dir);
  const w = worktreeAt(await listWorktrees(git, repo), abs);
  if (!w) {
    if (!existsSync(abs)) return false;
    throw new WorktreeConflict(repo, abs, `${abs} is not a worktree of ${repo}`);
  }
  if (w.main) throw new WorktreeConflict(repo, abs, `${abs} is the main worktree of ${repo}`);
  if (!existsSync(abs)) {
    await git.run(repo, ['worktree', 'prune']);
    return true;
  }
  // a locked worktree needs --force twice
  const force = opts.force ? (w.locked ? ['--force', '--force'] : ['--force']) : [];
  const args = ['worktree', 'remove', ...force, '--', abs];
  const r = await git.exec(repo, args);
  if (r.exitCode === 0) return true;
  const err = git.failure(repo, args, r);
  if (/modified or untracked files|locked working tree/.test(r.stderr))
    throw new WorktreeConflict(
      repo,
      abs,
      `${abs} ${w.locked ? 'is locked' : 'has uncommitted changes or untracked files'}; ` +
        'remove it with force to discard them',
      { cause: err },
    );
  throw err;
}

/** Drop the entries of worktrees whose directories are gone; returns their paths. */
export async function pruneWorktrees(git: Git, repo: string): Promise<string[]> {
  const before = await listWorktrees(git, repo);
  await git.run(repo, ['worktree', 'prune']);
  const after = await listWorktrees(git, repo);
  return before.filter((b) => !after.some((a) => a.path === b.path)).map((b) => b.path);
}
