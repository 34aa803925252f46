import { afterAll, describe, expect } from 'vitest';
import { diffSummary, fileDiffs } from './diff.js';
import {
  branchWith,
  commitOn,
  detachedTest,
  git,
  removeTemplates,
  type Fixture,
} from './fixtures.js';

afterAll(removeTemplates);

const LONG = Array.from({ length: 40 }, (_, i) => `line ${i}`).join('\n') + '\n';

/** A branch touching every kind of file, while main moves on elsewhere. */
async function card(f: Fixture): Promise<void> {
  await commitOn(f, 'main', { 'long.txt': LONG, 'gone.txt': 'bye\n' }, 'base files');
  await branchWith(
    f,
    'card/1',
    {
      'src/a.txt': 'one\n2\nthree\nfour\n', // modified: +2 -1
      'gone.txt': null, // deleted
      'long.txt': null, // renamed, one line changed
      'moved dir/long renamed.txt': LONG.replace('line 7\n', 'line seven\n'),
      'bin.dat': 'x\0y\u0001\n', // binary
      '-leading dash': 'd\n',
      '$(touch pwned) & `id`': 's\n',
    },
    'card work',
  );
  // main changes another file after the fork: not part of the card's diff
  await commitOn(f, 'main', { 'README.md': 'changed on main\n' }, 'main work');
}

describe.concurrent('diffSummary', () => {
  detachedTest(
    'lists the branch changes since the merge base, with counts, renames and binaries',
    async ({ f }) => {
      await card(f);
      const s = await diffSummary(git, f.repo, 'main', 'card/1');
      const byPath = Object.fromEntries(s.files.map((x) => [x.path, x]));
      expect(Object.keys(byPath).sort()).toEqual([
        '$(touch pwned) & `id`',
        '-leading dash',
        'bin.dat',
        'gone.txt',
        'moved dir/long renamed.txt',
        'src/a.txt',
      ]);
      expect(byPath['src/a.txt']).toEqual({
        path: 'src/a.txt',
        status: 'modified',
        additions: 2,
        deletions: 1,
        binary: false,
      });
      expect(byPath['moved dir/long renamed.txt']).toMatchObject({
        status: 'renamed',
        oldPath: 'long.txt',
        additions: 1,
        deletions: 1,
      });
      expect(byPath['bin.dat']).toMatchObject({ status: 'added', binary: true, additions: null });
      expect(byPath['gone.txt']).toMatchObject({ status: 'deleted', deletions: 1 });
      expect(byPath['-leading dash']).toMatchObject({ status: 'added', additions: 1 });
      expect(s.additions).toBe(2 + 1 + 1 + 1);
      expect(s.deletions).toBe(1 + 1 + 1);
      expect(s.head).toBe(await git.run(f.repo, ['rev-parse', 'card/1']).then((o) => o.trim()));
    },
  );

  detachedTest('is empty for a branch with no changes', async ({ f }) => {
    await git.run(f.repo, ['branch', '--', 'card/0', 'main']);
    expect(await diffSummary(git, f.repo, 'main', 'card/0')).toMatchObject({
      files: [],
      additions: 0,
      deletions: 0,
    });
  });
});

describe.concurrent('fileDiffs', () => {
  detachedTest("gives each file's own unified diff, binary files marked", async ({ f }) => {
    await card(f);
    const d = await fileDiffs(git, f.repo, 'main', 'card/1');
    const byPath = Object.fromEntries(d.files.map((x) => [x.path, x]));
    expect(byPath['src/a.txt']!.patch).toMatch(/^diff --git a\/src\/a.txt b\/src\/a.txt\n/);
    expect(byPath['src/a.txt']!.patch).toContain('-two\n+2\n three\n+four\n');
    expect(byPath['bin.dat']!.patch).toContain('Binary files /dev/null and b/bin.dat differ');
    const renamed = byPath['moved dir/long renamed.txt']!.patch;
    expect(renamed).toContain('rename from long.txt\n');
    expect(renamed).toContain('-line 7\n+line seven\n');
    expect(byPath['-leading dash']!.patch).toContain('+d\n');
    expect(byPath['$(touch pwned) & `id`']!.patch).toContain('+s\n');
    expect(d.files.every((x) => !x.truncated && x.bytes === Buffer.byteLength(x.patch))).toBe(true);
    // no file's diff leaks into another's
    expect(
      d.files.every((x) => x.patch.indexOf('diff --git') === x.patch.lastIndexOf('diff --git')),
    ).toBe(true);
    expect(d.files.some((x) => x.patch.includes('changed on main'))).toBe(false);
  });

  detachedTest('caps each file at a byte limit and says so', async ({ f }) => {
    await branchWith(
      f,
      'card/big',
      { 'big.txt': 'x'.repeat(50) + '\n' + 'y'.repeat(5000) + '\n' },
      'big',
    );
    const d = await fileDiffs(git, f.repo, 'main', 'card/big', { maxBytesPerFile: 1000 });
    const [big] = d.files;
    expect(big!.truncated).toBe(true);
    expect(big!.bytes).toBeGreaterThan(5000);
    expect(Buffer.byteLength(big!.patch)).toBeLessThanOrEqual(1000);
    expect(big!.patch).toMatch(/\+x{50}\n$/);
  });
});
