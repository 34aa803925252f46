import type { ReviewFile } from '@/lib/review/contract';

/**
 * One file's unified diff (`git diff` output, as ReviewFile.patch carries it) as rows to render,
 * each with its old and new line numbers counted from the hunk headers, and the words the diff
 * view puts beside a file. Pure: no React, no IO (a test beside it).
 */

export type DiffRowKind = 'meta' | 'hunk' | 'add' | 'del' | 'context' | 'note';

export interface DiffRow {
  kind: DiffRowKind;
  /** the line without its leading `+`, `-` or space (hunk and meta rows: the whole line) */
  text: string;
  /** line number on the base side (null where the line is not on that side) */
  old: number | null;
  /** line number on the branch side */
  new: number | null;
}

// `@@ -12,7 +12,8 @@ optional section`; a count of 1 may be left out
const HUNK = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/;
// the file header says what the panel already shows beside the diff: the path and the blobs
const FILE_HEADER = /^(diff --git |index |--- |\+\+\+ )/;

export function diffRows(patch: string): DiffRow[] {
  const rows: DiffRow[] = [];
  const lines = patch.split('\n');
  // a patch ends with a line break: no empty row after the last line
  if (lines.at(-1) === '') lines.pop();
  let inHunk = false;
  let oldNo = 0;
  let newNo = 0;
  for (const line of lines) {
    const h = HUNK.exec(line);
    if (h) {
      inHunk = true;
      oldNo = Number(h[1]);
      newNo = Number(h[2]);
      rows.push({ kind: 'hunk', text: line, old: null, new: null });
      continue;
    }
    if (!inHunk) {
      if (!FILE_HEADER.test(line)) rows.push({ kind: 'meta', text: line, old: null, new: null });
      continue;
    }
    const mark = line[0];
    const text = line.slice(1);
    if (mark === '+') rows.push({ kind: 'add', text, old: null, new: newNo++ });
    else if (mark === '-') rows.push({ kind: 'del', text, old: oldNo++, new: null });
    // "\ No newline at end of file" belongs to the line before it
    else if (mark === '\\') rows.push({ kind: 'note', text: line, old: null, new: null });
    // a context line; an empty one is a context line whose space was stripped on the way
    else if (mark === ' ' || line === '')
      rows.push({ kind: 'context', text, old: oldNo++, new: newNo++ });
    // the next file of a multi-file patch, or anything else: shown as it is, uncounted
    else {
      inHunk = false;
      if (!FILE_HEADER.test(line)) rows.push({ kind: 'meta', text: line, old: null, new: null });
    }
  }
  return rows;
}

export interface FileStatus {
  letter: string;
  word: string;
  tone: string;
}

const STATUSES: FileStatus[] = [
  { letter: 'A', word: 'added', tone: 'bg-emerald-100 text-emerald-800' },
  { letter: 'M', word: 'modified', tone: 'bg-sky-100 text-sky-800' },
  { letter: 'D', word: 'deleted', tone: 'bg-rose-100 text-rose-800' },
  { letter: 'R', word: 'renamed', tone: 'bg-violet-100 text-violet-800' },
  { letter: 'C', word: 'copied', tone: 'bg-violet-100 text-violet-800' },
  { letter: 'T', word: 'type-changed', tone: 'bg-amber-100 text-amber-800' },
];
const UNKNOWN: FileStatus = { letter: '?', word: 'changed', tone: 'bg-slate-100 text-slate-700' };

/** git's letter (a rename carries its similarity: R087) or the word lib/git names it with. */
export const statusOf = (s: string): FileStatus =>
  STATUSES.find((x) => x.word === s) ??
  STATUSES.find((x) => s.length > 0 && x.letter === s.charAt(0)) ??
  UNKNOWN;

/** What the panel says under a diff that was cut (ReviewFile.truncated). */
export function truncationNote(file: Pick<ReviewFile, 'patch_bytes'>): string {
  const where = file.patch_bytes === undefined ? '' : ` after ${file.patch_bytes} bytes`;
  return `diff truncated${where}: see the whole of it with the command above`;
}
