import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect } from 'vitest';
import { CommandError } from '../errors.js';
import { deleteBranch, push } from './branches.js';
import { GitError, UnknownBranch, WorktreeConflict } from './errors.js';
import {
  branchWith,
  commitOn,
  fastCommit,
  git,
  detachedTest,
  removeTemplates,
} from './fixtures.js';
import { COMMIT_CONFIG } from './git.js';
import { isMerged } from './merged.js';
import { aheadBehind, branchExists, headOf, isRepo, resolveCommit } from './refs.js';
import { addWorktree } from './worktrees.js';

afterAll(removeTemplates);

describe.concurrent('isRepo, branchExists, headOf', () => {
  detachedTest(
    'knows a work tree, a bare repository, a plain dir and a missing one',
    async ({ f }) => {
      const plain = path.join(f.root, 'plain');
      mkdirSync(plain);
      expect(await isRepo(git, f.repo)).toBe(true);
      expect(await isRepo(git, f.origin)).toBe(true);
      expect(await isRepo(git, plain)).toBe(false);
      expect(await isRepo(git, path.join(f.root, 'missing'))).toBe(false);
    },
  );

  detachedTest(
    'resolves branches and refs to commits, and names what is unknown',
    async ({ f }) => {
      const sha = await branchWith(f, 'card/1', { x: '1\n' }, 'one');
      expect(sha).toMatch(/^[0-9a-f]{40}$/);
      expect(await headOf(git, f.repo, 'card/1')).toBe(sha);
      expect(await headOf(git, f.repo, 'refs/heads/card/1')).toBe(sha);
      expect(await branchExists(git, f.repo, 'card/1')).toBe(true);
      expect(await branchExists(git, f.repo, 'card/2')).toBe(false);
      // a ref that looks like an option is only ever a ref
      expect(await resolveCommit(git, f.repo, '--output=/tmp/x')).toBeNull();
      await expect(headOf(git, f.repo, 'nope')).rejects.toThrow(`unknown ref "nope" in ${f.repo}`);
    },
  );
});

describe.concurrent('aheadBehind', () => {
  detachedTest('counts commits on either side of the merge base', async ({ f }) => {
    await branchWith(f, 'card/1', { x: '1\n' }, 'c1');
    await commitOn(f, 'card/1', { x: '2\n' }, 'c2');
    expect(await aheadBehind(git, f.repo, 'card/1', 'main')).toEqual({ ahead: 2, behind: 0 });
    await commitOn(f, 'main', { y: '1\n' }, 'm1');
    expect(await aheadBehind(git, f.repo, 'card/1', 'main')).toEqual({ ahead: 2, behind: 1 });
    await expect(aheadBehind(git, f.repo, 'card/9', 'main')).rejects.toThrow(UnknownBranch);
  });
});

describe.concurrent('isMerged', () => {
  detachedTest(
    'is false for unmerged work, true once merged with a merge commit',
    async ({ f }) => {
      const tip = await branchWith(f, 'card/1', { 'src/b.txt': 'b\n' }, 'card');
      await commitOn(f, 'main', { 'README.md': 'moved on\n' }, 'other work');
      expect(await isMerged(git, f.repo, 'card/1', 'main')).toBe(false);
      const main = await headOf(git, f.repo, 'main');
      const tree = (await git.run(f.repo, ['merge-tree', '--write-tree', main, tip])).trim();
      const merge = (
        await git.run(f.repo, [
          ...COMMIT_CONFIG,
          'commit-tree',
          tree,
          '-p',
          main,
          '-p',
          tip,
          '-m',
          'm',
        ])
      ).trim();
      await git.run(f.repo, ['update-ref', 'refs/heads/main', merge]);
      expect(await isMerged(git, f.repo, 'card/1', 'main')).toBe(true);
    },
  );

  detachedTest(
    'is true after a squash merge, also once base rewrote the squashed lines',
    async ({ f }) => {
      await branchWith(f, 'card/1', { 'src/a.txt': 'one\nTWO\nthree\n' }, 'c1');
      await commitOn(f, 'card/1', { 'src/new.txt': 'new\n' }, 'c2');
      // the squash: the branch's whole change as one commit on main
      await commitOn(f, 'main', { 'src/a.txt': 'one\nTWO\nthree\n', 'src/new.txt': 'new\n' }, 'sq');
      expect(await isMerged(git, f.repo, 'card/1', 'main')).toBe(true);
      await commitOn(f, 'main', { 'src/a.txt': 'one\n2\nthree\n' }, 'rewrite the line');
      expect(await isMerged(git, f.repo, 'card/1', 'main')).toBe(true);
      // a branch whose change base has only partly
      await branchWith(f, 'card/2', { 'src/c.txt': 'c\n', 'src/d.txt': 'd\n' }, 'c+d');
      await commitOn(f, 'main', { 'src/c.txt': 'c\n' }, 'only c');
      expect(await isMerged(git, f.repo, 'card/2', 'main')).toBe(false);
    },
  );

  detachedTest(
    'is true after a squash that landed once base had changed the lines around it',
    async ({ f }) => {
      await commitOn(f, 'main', { 'six.txt': '1\n2\n3\n4\n5\n6\n' }, 'six');
      await branchWith(f, 'card/1', { 'six.txt': '1\n2\n3\n4\nFIVE\n6\n' }, 'c1');
      await commitOn(f, 'main', { 'six.txt': '1\nTWO\n3\n4\n5\n6\n' }, 'context moved');
      // the squash's own patch now differs from the branch's: its context line changed
      await commitOn(f, 'main', { 'six.txt': '1\nTWO\n3\n4\nFIVE\n6\n' }, 'sq');
      expect(await isMerged(git, f.repo, 'card/1', 'main')).toBe(true);
    },
  );

  detachedTest('is true for a branch with no commits of its own', async ({ f }) => {
    await git.run(f.repo, ['branch', '--', 'card/empty', 'main']);
    expect(await isMerged(git, f.repo, 'card/empty', 'main')).toBe(true);
  });
});

describe.concurrent('deleteBranch', () => {
  detachedTest('deletes a merged branch, refuses unmerged work unless forced', async ({ f }) => {
    await git.run(f.repo, ['branch', '--', 'card/done', 'main']);
    const work = await branchWith(f, 'card/wip', { x: 'x\n' }, 'wip');
    expect(await deleteBranch(git, f.repo, 'card/done', { mergedInto: 'main' })).toMatch(
      /^[0-9a-f]{40}$/,
    );
    expect(await branchExists(git, f.repo, 'card/done')).toBe(false);
    await expect(deleteBranch(git, f.repo, 'card/wip', { mergedInto: 'main' })).rejects.toThrow(
      /has work not merged into "main"/,
    );
    expect(await deleteBranch(git, f.repo, 'card/wip', { force: true })).toBe(work);
    expect(await branchExists(git, f.repo, 'card/wip')).toBe(false);
  });

  detachedTest('refuses a branch checked out in a worktree', async ({ f }) => {
    const dir = path.join(f.root, 'card');
    await addWorktree(git, f.repo, dir, 'card/1', 'main');
    await expect(deleteBranch(git, f.repo, 'card/1', { force: true })).rejects.toThrow(
      WorktreeConflict,
    );
    expect(await branchExists(git, f.repo, 'card/1')).toBe(true);
  });
});

describe.concurrent('push', () => {
  detachedTest('pushes a branch to the bare origin, never forced', async ({ f }) => {
    const sha = await branchWith(f, 'card/$(id)_x', { x: '1\n' }, 'c1');
    await push(git, f.repo, 'origin', 'card/$(id)_x');
    expect(await headOf(git, f.origin, 'refs/heads/card/$(id)_x')).toBe(sha);
    // the remote moved on: a plain push is refused, and origin keeps its commit
    const ref = 'refs/heads/card/$(id)_x';
    const theirs = await fastCommit(f.origin, ref, { y: 'y\n' }, 'theirs', `${ref}^0`);
    await commitOn(f, 'card/$(id)_x', { x: '2\n' }, 'c2');
    const e = await push(git, f.repo, 'origin', 'card/$(id)_x').catch((err: unknown) => err);
    expect(e).toBeInstanceOf(CommandError);
    expect((e as CommandError).stderr + (e as CommandError).stdout).toMatch(/rejected/);
    expect(await headOf(git, f.origin, 'refs/heads/card/$(id)_x')).toBe(theirs);
    await expect(push(git, f.repo, '-x', 'main')).rejects.toThrow(GitError);
  });
});
