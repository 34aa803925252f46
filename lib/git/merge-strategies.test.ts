import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect } from 'vitest';
import {
  branchWith,
  commitOn,
  git,
  leftovers,
  detachedTest,
  mergeInput,
  removeTemplates,
  subjects,
} from './fixtures.js';
import type { MergeStrategy } from './merge-apply.js';
import { mergeInScratch } from './merge.js';
import { isMerged } from './merged.js';
import { headOf } from './refs.js';

afterAll(removeTemplates);

describe.concurrent.each<MergeStrategy>(['squash', 'merge', 'rebase'])(
  'mergeInScratch (%s)',
  (strategy) => {
    detachedTest(
      'returns the conflicting files and leaves base and the repo as they were',
      async ({ f }) => {
        await branchWith(
          f,
          'card/1',
          { 'src/a.txt': 'one\nTWO\nthree\n', 'ok.txt': 'fine\n' },
          'c1',
        );
        await branchWith(f, 'card/2', { 'src/a.txt': 'one\nzwei\nthree\n' }, 'c2');
        const first = await mergeInScratch(git, mergeInput(f, { branch: 'card/1', strategy }));
        expect(first.ok).toBe(true);
        const main = await headOf(git, f.repo, 'main');
        const second = await mergeInScratch(git, mergeInput(f, { branch: 'card/2', strategy }));
        expect(second).toEqual({
          ok: false,
          reason: 'conflict',
          conflict: true,
          files: ['src/a.txt'],
        });
        expect(await headOf(git, f.repo, 'main')).toBe(main);
        expect(await leftovers(f)).toEqual([]);
      },
    );

    detachedTest('leaves base untouched when the check fails, or throws', async ({ f }) => {
      await branchWith(f, 'card/1', { 'src/b.txt': 'b\n' }, 'c1');
      const main = await headOf(git, f.repo, 'main');
      const failing = async (dir: string) => ({
        ok: false,
        output: `FAIL: saw ${readFileSync(path.join(dir, 'src/b.txt'), 'utf8').trim()}`,
      });
      expect(
        await mergeInScratch(git, mergeInput(f, { branch: 'card/1', strategy, check: failing })),
      ).toEqual({
        ok: false,
        reason: 'check',
        check: 'FAIL: saw b',
      });
      const throwing = async () => {
        throw new Error('check crashed');
      };
      await expect(
        mergeInScratch(git, mergeInput(f, { branch: 'card/1', strategy, check: throwing })),
      ).rejects.toThrow('check crashed');
      expect(await headOf(git, f.repo, 'main')).toBe(main);
      expect(await leftovers(f)).toEqual([]);
    });

    detachedTest('refuses to move a base that moved meanwhile', async ({ f }) => {
      await branchWith(f, 'card/1', { 'src/b.txt': 'b\n' }, 'c1');
      let concurrent = '';
      // another merge lands while this one's check runs
      const check = async () => {
        concurrent = await commitOn(f, 'main', { 'src/z.txt': 'z\n' }, 'concurrent');
        return { ok: true, output: '' };
      };
      const r = await mergeInScratch(git, mergeInput(f, { branch: 'card/1', strategy, check }));
      expect(r).toMatchObject({ ok: false, reason: 'base-moved', actual: concurrent });
      expect(await headOf(git, f.repo, 'main')).toBe(concurrent);
      expect(await leftovers(f)).toEqual([]);
    });
  },
);

describe.concurrent('mergeInScratch: merge and rebase', () => {
  detachedTest('merge makes one merge commit with the message and both parents', async ({ f }) => {
    const tip = await branchWith(f, 'card/1', { 'src/b.txt': 'b\n' }, 'c1');
    await commitOn(f, 'main', { 'src/z.txt': 'z\n' }, 'main moved');
    const main = await headOf(git, f.repo, 'main');
    const r = await mergeInScratch(
      git,
      mergeInput(f, { branch: 'card/1', strategy: 'merge', message: 'Merge card 1' }),
    );
    expect(r.ok).toBe(true);
    const [parents, subject] = (await git.run(f.repo, ['log', '-1', '--format=%P%n%s', 'main']))
      .trim()
      .split('\n');
    expect(parents).toBe(`${main} ${tip}`);
    expect(subject).toBe('Merge card 1');
  });

  detachedTest(
    "rebase replays the branch's commits onto base, linear, leaving the card's branch as it was",
    async ({ f }) => {
      const tip = await branchWith(f, 'card/1', { 'src/b.txt': 'b\n' }, 'c1');
      await commitOn(f, 'card/1', { 'src/b.txt': 'b\nb\n' }, 'c2');
      const cardTip = await headOf(git, f.repo, 'card/1');
      await commitOn(f, 'main', { 'src/z.txt': 'z\n' }, 'main moved');
      const r = await mergeInScratch(git, mergeInput(f, { branch: 'card/1', strategy: 'rebase' }));
      expect(r).toMatchObject({ ok: true, changed: true });
      expect(await subjects(f.repo, 'main')).toEqual(['c2', 'c1', 'main moved', 'initial']);
      expect(await headOf(git, f.repo, 'card/1')).toBe(cardTip);
      expect(tip).not.toBe(await headOf(git, f.repo, 'main~1'));
      expect(await isMerged(git, f.repo, 'card/1', 'main')).toBe(true);
    },
  );
});
