import { describe, expect, it } from 'vitest';
import { diffRows, statusOf, truncationNote } from './diff-lines';

const PATCH = `diff --git a/hello.txt b/hello.txt
index 3b18e51..a042389 100644
--- a/hello.txt
+++ b/hello.txt
@@ -1,3 +1,4 @@ intro
 one
-two
+zwei
+drei
 four
@@ -10 +11 @@
-ten
\\ No newline at end of file
+elf
`;

describe('diffRows', () => {
  it('numbers old and new lines from the hunk headers and drops the file header', () => {
    const rows = diffRows(PATCH);
    expect(rows.map((r) => [r.kind, r.text, r.old, r.new])).toEqual([
      ['hunk', '@@ -1,3 +1,4 @@ intro', null, null],
      ['context', 'one', 1, 1],
      ['del', 'two', 2, null],
      ['add', 'zwei', null, 2],
      ['add', 'drei', null, 3],
      ['context', 'four', 3, 4],
      ['hunk', '@@ -10 +11 @@', null, null],
      ['del', 'ten', 10, null],
      ['note', '\\ No newline at end of file', null, null],
      ['add', 'elf', null, 11],
    ]);
  });

  it('keeps what git says about a new, renamed or binary file as meta rows', () => {
    const rows = diffRows(
      'diff --git a/a.png b/b.png\nsimilarity index 90%\nrename from a.png\nrename to b.png\nBinary files a/a.png and b/b.png differ\n',
    );
    expect(rows.map((r) => r.kind)).toEqual(['meta', 'meta', 'meta', 'meta']);
    expect(rows[0]!.text).toBe('similarity index 90%');
  });

  it('reads a deleted line that starts with dashes as a deletion, not a header', () => {
    const rows = diffRows('--- a/x\n+++ b/x\n@@ -1,2 +1 @@\n--- not a header\n keep\n');
    expect(rows.slice(1).map((r) => [r.kind, r.text, r.old, r.new])).toEqual([
      ['del', '-- not a header', 1, null],
      ['context', 'keep', 2, 1],
    ]);
  });

  it('counts an empty line inside a hunk as context and renders a cut-off patch as far as it goes', () => {
    const rows = diffRows('@@ -5,3 +5,3 @@\n a\n\n+b');
    expect(rows.map((r) => [r.kind, r.old, r.new])).toEqual([
      ['hunk', null, null],
      ['context', 5, 5],
      ['context', 6, 6],
      ['add', null, 7],
    ]);
  });
});

describe('statusOf', () => {
  it("reads lib/git's words and git's letters, a rename's similarity included", () => {
    expect(statusOf('added').letter).toBe('A');
    expect(statusOf('type-changed').letter).toBe('T');
    expect(statusOf('M').word).toBe('modified');
    expect(statusOf('R087').word).toBe('renamed');
    expect(statusOf('unknown').letter).toBe('?');
    expect(statusOf('').letter).toBe('?');
  });
});

describe('truncationNote', () => {
  it('says where the diff was cut when it is known', () => {
    expect(truncationNote({ patch_bytes: 65_536 })).toMatch(/^diff truncated after 65536 bytes/);
    expect(truncationNote({})).toMatch(/^diff truncated: /);
  });
});
