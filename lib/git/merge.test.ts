import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect } from 'vitest';
import { BaseCheckedOut, UnknownBranch, WorktreeConflict } from './errors.js';
import {
  branchWith,
  commitOn,
  git,
  leftovers,
  detachedTest,
  test,
  mergeInput,
  removeTemplates,
  subjects,
  type Fixture,
} from './fixtures.js';
import { mergeInScratch } from './merge.js';
import { isMerged } from './merged.js';
import { headOf } from './refs.js';
import { addWorktree } from './worktrees.js';

afterAll(removeTemplates);

const show = (f: Fixture, ref: string, file: string): Promise<string> =>
  git.run(f.repo, ['show', `${ref}:${file}`]);

describe.concurrent('mergeInScratch: squash', () => {
  detachedTest(
    'squashes two branches in order, one commit each, and checks each result',
    async ({ f }) => {
      await branchWith(f, 'card/1', { 'src/b.txt': 'b\n' }, 'b1');
      await commitOn(f, 'card/1', { 'src/b.txt': 'b\nb\n' }, 'b2');
      await branchWith(f, 'card/$(id);-x', { 'src/c.txt': 'c\n' }, 'c1');
      const seen: string[] = [];
      const check = async (dir: string) => {
        seen.push(readFileSync(path.join(dir, 'src/b.txt'), 'utf8'));
        return { ok: true, output: 'tests pass' };
      };
      const before = await headOf(git, f.repo, 'main');
      const card1 = await headOf(git, f.repo, 'card/1');
      const one = await mergeInScratch(git, mergeInput(f, { branch: 'card/1', check }));
      expect(one).toMatchObject({
        ok: true,
        previous: before,
        merged: card1,
        changed: true,
        checkOutput: 'tests pass',
      });
      const two = await mergeInScratch(git, mergeInput(f, { branch: 'card/$(id);-x', check }));
      expect(two).toMatchObject({ ok: true, changed: true, checkedOutBase: null });
      expect(await subjects(f.repo, 'main')).toEqual([
        'merge card/$(id);-x',
        'merge card/1',
        'initial',
      ]);
      expect(await headOf(git, f.repo, 'main')).toBe(two.ok ? two.commit : '');
      expect(await show(f, 'main', 'src/b.txt')).toBe('b\nb\n');
      expect(await show(f, 'main', 'src/c.txt')).toBe('c\n');
      expect(seen).toEqual(['b\nb\n', 'b\nb\n']);
      // one parent each: squashes, not merges
      const parents = await git.run(f.repo, ['log', '--format=%P', '-2', 'main']);
      expect(
        parents
          .trim()
          .split('\n')
          .every((p) => p.split(' ').length === 1),
      ).toBe(true);
      expect(await isMerged(git, f.repo, 'card/1', 'main')).toBe(true);
      expect(await leftovers(f)).toEqual([]);
    },
  );

  detachedTest('reports nothing to merge for a branch already in base', async ({ f }) => {
    await git.run(f.repo, ['branch', '--', 'card/0', 'main']);
    const main = await headOf(git, f.repo, 'main');
    expect(await mergeInScratch(git, mergeInput(f, { branch: 'card/0' }))).toEqual({
      ok: true,
      commit: main,
      previous: main,
      merged: main,
      changed: false,
      checkedOutBase: null,
    });
    expect(await leftovers(f)).toEqual([]);
  });
});

describe.concurrent('mergeInScratch: refusals', () => {
  // `test`: main checked out in the clone, as in an operator's own checkout
  test('refuses a base checked out in a worktree unless allowed, and never touches its files', async ({
    f,
  }) => {
    await branchWith(f, 'card/1', { 'README.md': 'from the card\n' }, 'c1');
    const main = await headOf(git, f.repo, 'main');
    const e = await mergeInScratch(git, mergeInput(f, { branch: 'card/1' })).catch(
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(BaseCheckedOut);
    expect((e as Error).message).toMatch(/base branch "main" is checked out at .*repo/);
    expect(await headOf(git, f.repo, 'main')).toBe(main);
    expect(await leftovers(f)).toEqual([]);
    const r = await mergeInScratch(
      git,
      mergeInput(f, { branch: 'card/1', allowCheckedOutBase: true }),
    );
    expect(r).toMatchObject({ ok: true, changed: true, checkedOutBase: f.repo });
    expect(readFileSync(path.join(f.repo, 'README.md'), 'utf8')).toBe('hello\n');
    expect(await show(f, 'main', 'README.md')).toBe('from the card\n');
  });

  detachedTest(
    'refuses an existing scratch dir, an unknown base and an empty message',
    async ({ f }) => {
      await branchWith(f, 'card/1', { 'src/b.txt': 'b\n' }, 'c1');
      await expect(
        mergeInScratch(git, mergeInput(f, { branch: 'card/1', scratchDir: f.repo })),
      ).rejects.toThrow(WorktreeConflict);
      await expect(
        mergeInScratch(git, mergeInput(f, { branch: 'card/1', base: 'trunk' })),
      ).rejects.toThrow(UnknownBranch);
      await expect(
        mergeInScratch(git, mergeInput(f, { branch: 'card/1', message: ' \n' })),
      ).rejects.toThrow('merge message is empty');
      await expect(mergeInScratch(git, mergeInput(f, { branch: '--force' }))).rejects.toThrow(
        /invalid branch/,
      );
      expect(await leftovers(f)).toEqual([]);
    },
  );
});

describe.concurrent('hooks', () => {
  detachedTest(
    'never runs a hook written into the repository (agents can write .git/hooks)',
    async ({ f }) => {
      const ran = path.join(f.root, 'hook-ran');
      const names = ['post-checkout', 'pre-commit', 'commit-msg', 'post-merge', 'post-rewrite'];
      for (const name of [...names, 'reference-transaction', 'pre-merge-commit']) {
        const hook = path.join(f.repo, '.git', 'hooks', name);
        writeFileSync(hook, `#!/bin/sh\necho ${name} >> '${ran}'\n`);
        chmodSync(hook, 0o755);
      }
      await addWorktree(git, f.repo, path.join(f.root, 'card'), 'card/1', 'main');
      const check = async () => ({ ok: true, output: '' });
      for (const strategy of ['squash', 'merge', 'rebase'] as const) {
        await branchWith(f, `card/${strategy}`, { [`${strategy}.txt`]: 'x\n' }, strategy);
        const r = await mergeInScratch(
          git,
          mergeInput(f, { branch: `card/${strategy}`, strategy, check }),
        );
        expect(r).toMatchObject({ ok: true, changed: true });
      }
      expect(existsSync(ran) ? readFileSync(ran, 'utf8') : '').toBe('');
    },
  );
});
