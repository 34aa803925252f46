import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect } from 'vitest';
import { InvalidGitName, UnknownBranch, WorktreeConflict } from './errors.js';
import { commit, git, removeTemplates, test } from './fixtures.js';
import { branchExists, headOf } from './refs.js';
import { addWorktree, listWorktrees, pruneWorktrees, removeWorktree } from './worktrees.js';

afterAll(removeTemplates);

// valid for git, dangerous for a shell: must reach git as one literal word
const HOSTILE = 'card/$(touch${IFS}pwned)`id`;x';

describe.concurrent('addWorktree', () => {
  test('creates the branch from base in a new worktree, and lists it', async ({ f }) => {
    const dir = path.join(f.root, 'cards', 'one with $(space)');
    const added = await addWorktree(git, f.repo, dir, 'card/1', 'main');
    const main = await headOf(git, f.repo, 'main');
    expect(added).toEqual({ dir, branch: 'card/1', head: main, created: 'branch' });
    expect(readFileSync(path.join(dir, 'README.md'), 'utf8')).toBe('hello\n');
    const list = await listWorktrees(git, f.repo);
    expect(list.map((w) => [w.path, w.branch, w.main])).toEqual([
      [f.repo, 'main', true],
      [dir, 'card/1', false],
    ]);
    expect(list[1]).toMatchObject({ head: main, locked: false, prunable: false, detached: false });
  });

  test('takes a hostile but valid branch name literally, and refuses invalid ones', async ({
    f,
  }) => {
    const dir = path.join(f.root, '-leading dash');
    await addWorktree(git, f.repo, dir, HOSTILE, 'main');
    expect(await branchExists(git, f.repo, HOSTILE)).toBe(true);
    expect(existsSync(path.join(f.root, 'pwned'))).toBe(false);
    expect(existsSync(path.join(dir, 'pwned'))).toBe(false);
    await expect(addWorktree(git, f.repo, dir + '2', '-b', 'main')).rejects.toThrow(InvalidGitName);
    await expect(addWorktree(git, f.repo, dir + '2', 'a b', 'main')).rejects.toThrow(/space/);
    expect(existsSync(dir + '2')).toBe(false);
  });

  test('is idempotent for the same dir and branch, and re-attaches a branch that comes back', async ({
    f,
  }) => {
    const dir = path.join(f.root, 'card');
    await addWorktree(git, f.repo, dir, 'card/2', 'main');
    expect((await addWorktree(git, f.repo, dir, 'card/2', 'main')).created).toBe('none');
    const work = await commit(dir, { 'src/b.txt': 'b\n' }, 'card work');
    await removeWorktree(git, f.repo, dir);
    expect(existsSync(dir)).toBe(false);
    const back = await addWorktree(git, f.repo, dir, 'card/2', 'main');
    expect(back).toMatchObject({ created: 'worktree', head: work });
    expect(readFileSync(path.join(dir, 'src/b.txt'), 'utf8')).toBe('b\n');
  });

  test('re-attaches after the worktree dir was deleted by hand (prunable entry)', async ({ f }) => {
    const dir = path.join(f.root, 'card');
    await addWorktree(git, f.repo, dir, 'card/3', 'main');
    rmSync(dir, { recursive: true, force: true });
    expect((await listWorktrees(git, f.repo))[1]).toMatchObject({ prunable: true });
    const other = path.join(f.root, 'elsewhere');
    expect(await addWorktree(git, f.repo, other, 'card/3', 'main')).toMatchObject({
      created: 'worktree',
    });
    expect((await listWorktrees(git, f.repo)).map((w) => w.path)).toEqual([f.repo, other]);
  });

  test('refuses an existing dir that is not that worktree, and a branch checked out elsewhere', async ({
    f,
  }) => {
    const taken = path.join(f.root, 'taken');
    mkdirSync(taken);
    writeFileSync(path.join(taken, 'keep'), 'x');
    await expect(addWorktree(git, f.repo, taken, 'card/4', 'main')).rejects.toThrow(
      /exists and is not the worktree of "card\/4"/,
    );
    expect(readFileSync(path.join(taken, 'keep'), 'utf8')).toBe('x');
    const a = path.join(f.root, 'a');
    await addWorktree(git, f.repo, a, 'card/4', 'main');
    await expect(addWorktree(git, f.repo, a, 'card/5', 'main')).rejects.toThrow(
      /already the worktree of branch "card\/4"/,
    );
    await expect(
      addWorktree(git, f.repo, path.join(f.root, 'b'), 'card/4', 'main'),
    ).rejects.toThrow(WorktreeConflict);
    expect(await branchExists(git, f.repo, 'card/5')).toBe(false);
  });

  test('names an unknown base, and a path that is not a repository', async ({ f }) => {
    const e = await addWorktree(git, f.repo, path.join(f.root, 'x'), 'card/6', 'trunk').catch(
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(UnknownBranch);
    expect((e as Error).message).toMatch(/^unknown base branch "trunk"/);
    await expect(
      addWorktree(git, f.root, path.join(f.root, 'x'), 'card/6', 'main'),
    ).rejects.toThrow(`${f.root} is not a git repository`);
  });
});

describe.concurrent('removeWorktree and pruneWorktrees', () => {
  test('refuses a dirty worktree without force and removes it with force', async ({ f }) => {
    const dir = path.join(f.root, 'card');
    await addWorktree(git, f.repo, dir, 'card/7', 'main');
    writeFileSync(path.join(dir, 'untracked'), 'x');
    await expect(removeWorktree(git, f.repo, dir)).rejects.toThrow(
      /has uncommitted changes or untracked files/,
    );
    expect(existsSync(dir)).toBe(true);
    expect(await removeWorktree(git, f.repo, dir, { force: true })).toBe(true);
    expect(existsSync(dir)).toBe(false);
    expect(await branchExists(git, f.repo, 'card/7')).toBe(true);
    expect(await removeWorktree(git, f.repo, dir)).toBe(false);
  });

  test('never removes the main worktree or a directory that is not a worktree', async ({ f }) => {
    await expect(removeWorktree(git, f.repo, f.repo, { force: true })).rejects.toThrow(
      /main worktree/,
    );
    const plain = path.join(f.root, 'plain');
    mkdirSync(plain);
    await expect(removeWorktree(git, f.repo, plain, { force: true })).rejects.toThrow(
      /not a worktree/,
    );
    expect(existsSync(plain)).toBe(true);
  });

  test('removes a locked worktree only with force', async ({ f }) => {
    const dir = path.join(f.root, 'card');
    await addWorktree(git, f.repo, dir, 'card/8', 'main');
    await git.run(f.repo, ['worktree', 'lock', '--reason', 'busy', '--', dir]);
    expect((await listWorktrees(git, f.repo))[1]).toMatchObject({
      locked: true,
      lockedReason: 'busy',
    });
    await expect(removeWorktree(git, f.repo, dir)).rejects.toThrow(/is locked/);
    expect(await removeWorktree(git, f.repo, dir, { force: true })).toBe(true);
  });

  test('prunes the entries of deleted worktree dirs and returns their paths', async ({ f }) => {
    const a = path.join(f.root, 'a');
    const b = path.join(f.root, 'b');
    await addWorktree(git, f.repo, a, 'card/9', 'main');
    await addWorktree(git, f.repo, b, 'card/10', 'main');
    rmSync(a, { recursive: true, force: true });
    expect(await pruneWorktrees(git, f.repo)).toEqual([a]);
    expect((await listWorktrees(git, f.repo)).map((w) => w.path)).toEqual([f.repo, b]);
  });
});
