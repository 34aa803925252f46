import { describe, expect, it } from 'vitest';
import { capBytes, parseDiffFiles, splitPatch } from './diff-parse.js';
import { branchNameProblem } from './names.js';
import { parseLeftRight, parseWorktreeList } from './parse.js';

describe('parseWorktreeList', () => {
  it('reads main, linked, detached, locked and prunable entries, paths with newlines intact', () => {
    const out = [
      'worktree /r',
      'HEAD aaa',
      'branch refs/heads/main',
      '',
      'worktree /w/a b\nc',
      'HEAD bbb',
      'branch refs/heads/card/$(x)',
      'locked',
      '',
      'worktree /w/gone',
      'HEAD ccc',
      'detached',
      'locked agent at work',
      'prunable gitdir file points to non-existent location',
      '',
      '',
    ].join('\0');
    const [main, linked, gone] = parseWorktreeList(out);
    expect(main).toMatchObject({ path: '/r', branch: 'main', main: true, locked: false });
    expect(linked).toMatchObject({ path: '/w/a b\nc', head: 'bbb', branch: 'card/$(x)' });
    expect(linked).toMatchObject({ main: false, locked: true });
    expect(linked!.lockedReason).toBeUndefined();
    expect(gone).toMatchObject({ detached: true, branch: null, prunable: true });
    expect(gone!.lockedReason).toBe('agent at work');
  });

  it('reads a bare repository entry', () => {
    expect(parseWorktreeList('worktree /o.git\0bare\0\0')).toEqual([
      expect.objectContaining({ path: '/o.git', bare: true, head: null, branch: null }),
    ]);
  });
});

describe('parseLeftRight', () => {
  it('is behind on the left (base) and ahead on the right (branch)', () => {
    expect(parseLeftRight('3\t5\n')).toEqual({ behind: 3, ahead: 5 });
    expect(() => parseLeftRight('fatal')).toThrow(/unexpected/);
  });
});

describe('branchNameProblem', () => {
  it.each([
    ['card/12-fix', undefined],
    ['card/$(id)', undefined],
    ['feature/ünïcode', undefined],
    ['', 'is empty'],
    ['-x', 'starts with "-"'],
    ['a b', 'contains a space'],
    ['a\tb', 'contains a control character'],
    ['a..b', 'contains ".."'],
    ['a~1', 'contains "~"'],
    ['a:b', 'contains ":"'],
    ['a@{1}', 'contains "@{"'],
    ['a/', 'has an empty path component'],
    ['a//b', 'has an empty path component'],
    ['a/.b', 'has a component starting with "."'],
    ['a.lock', 'has a component ending with ".lock"'],
    ['a.', 'ends with "."'],
    ['HEAD', 'is "HEAD"'],
  ])('%j → %s', (name, problem) => {
    expect(branchNameProblem(name)).toBe(problem);
  });
});

describe('parseDiffFiles', () => {
  it('pairs raw and numstat records: rename, binary, hostile names', () => {
    const out = [
      ':000000 100644 0000000 bca70f3 A',
      '-dash',
      ':000000 100644 0000000 d5d0b8b A',
      'bin.dat',
      ':100644 100644 58f424c 7898192 R050',
      'f',
      'sp ace',
      '1\t0\t-dash',
      '-\t-\tbin.dat',
      '0\t1\t',
      'f',
      'sp ace',
      '',
    ].join('\0');
    expect(parseDiffFiles(out)).toEqual([
      { path: '-dash', status: 'added', additions: 1, deletions: 0, binary: false },
      { path: 'bin.dat', status: 'added', additions: null, deletions: null, binary: true },
      {
        path: 'sp ace',
        oldPath: 'f',
        status: 'renamed',
        additions: 0,
        deletions: 1,
        binary: false,
      },
    ]);
    expect(parseDiffFiles('')).toEqual([]);
  });
});

describe('splitPatch and capBytes', () => {
  it('splits at each file header only', () => {
    const a = 'diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-diff --git no\n+y\n';
    const b = 'diff --git a/z b/z\nBinary files a/z and b/z differ\n';
    expect(splitPatch(a + b)).toEqual([a, b]);
    expect(splitPatch('')).toEqual([]);
  });

  it('cuts at a line end, else at a whole UTF-8 character', () => {
    expect(capBytes('ab\ncd\n', 10)).toEqual({ text: 'ab\ncd\n', bytes: 6, truncated: false });
    expect(capBytes('ab\ncd\n', 5)).toEqual({ text: 'ab\n', bytes: 6, truncated: true });
    // 'é' is two bytes: a cut inside it keeps neither half
    expect(capBytes('aé', 2)).toEqual({ text: 'a', bytes: 3, truncated: true });
    expect(capBytes('abc', 0)).toEqual({ text: '', bytes: 3, truncated: true });
  });
});
