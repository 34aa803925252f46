/** Parsers of `git diff` output: pure functions over strings. */

export type FileStatus =
  'added' | 'deleted' | 'modified' | 'renamed' | 'copied' | 'type-changed' | 'unknown';

export interface DiffFile {
  /** the path on the branch side (the new name of a renamed file) */
  path: string;
  /** the path on the base side, for a rename or copy */
  oldPath?: string;
  status: FileStatus;
  /** null for a binary file, which git does not count in lines */
  additions: number | null;
  deletions: number | null;
  binary: boolean;
}

const STATUS: Record<string, FileStatus> = {
  A: 'added',
  D: 'deleted',
  M: 'modified',
  R: 'renamed',
  C: 'copied',
  T: 'type-changed',
};

interface RawEntry {
  status: FileStatus;
  path: string;
  oldPath?: string;
}

interface NumEntry {
  additions: number | null;
  deletions: number | null;
}

const NUMSTAT = /^(-|\d+)\t(-|\d+)\t([^]*)$/;
const count = (s: string): number | null => (s === '-' ? null : Number(s));

/**
 * `git diff --raw --numstat -z`: first every raw record (`:modes shas STATUS` NUL path NUL, two
 * paths for a rename or copy), then every numstat record (`add TAB del TAB path` NUL, or for a
 * rename `add TAB del TAB` NUL old NUL new NUL; `-` counts for a binary file). Both lists come
 * from the same diff queue, so record i of one is record i of the other.
 */
export function parseDiffFiles(out: string): DiffFile[] {
  const t = out.split('\0');
  const raw: RawEntry[] = [];
  let i = 0;
  while (i < t.length && t[i]!.startsWith(':')) {
    const letter = (t[i]!.split(' ')[4] ?? '').charAt(0);
    const status = STATUS[letter] ?? 'unknown';
    if (letter === 'R' || letter === 'C') {
      raw.push({ status, oldPath: t[i + 1]!, path: t[i + 2]! });
      i += 3;
    } else {
      raw.push({ status, path: t[i + 1]! });
      i += 2;
    }
  }
  const nums: NumEntry[] = [];
  while (i < t.length && t[i] !== '') {
    const m = NUMSTAT.exec(t[i]!);
    if (!m) throw new Error(`unexpected numstat record: ${JSON.stringify(t[i])}`);
    nums.push({ additions: count(m[1]!), deletions: count(m[2]!) });
    i += m[3] === '' ? 3 : 1;
  }
  if (nums.length !== raw.length)
    throw new Error(`git diff gave ${raw.length} raw and ${nums.length} numstat records`);
  return raw.map((r, k) => {
    const n = nums[k]!;
    return { ...r, ...n, binary: n.additions === null && n.deletions === null };
  });
}

/**
 * One chunk per file of a unified diff. A file's section starts with a `diff --git ` line, and no
 * other line can: content lines carry a ' ', '+' or '-' prefix and git quotes a path with a
 * newline in it.
 */
export function splitPatch(patch: string): string[] {
  const starts: number[] = [];
  if (patch.startsWith('diff --git ')) starts.push(0);
  for (
    let at = patch.indexOf('\ndiff --git ');
    at >= 0;
    at = patch.indexOf('\ndiff --git ', at + 1)
  )
    starts.push(at + 1);
  return starts.map((s, k) => patch.slice(s, starts[k + 1] ?? patch.length));
}

export interface Capped {
  text: string;
  /** size of the whole text in UTF-8 bytes */
  bytes: number;
  truncated: boolean;
}

/** At most `max` UTF-8 bytes of `text`, cut after a whole line (or, failing that, a whole character). */
export function capBytes(text: string, max: number): Capped {
  const buf = Buffer.from(text, 'utf8');
  if (buf.length <= max) return { text, bytes: buf.length, truncated: false };
  if (max <= 0) return { text: '', bytes: buf.length, truncated: true };
  let end = buf.lastIndexOf(0x0a, max - 1) + 1;
  if (end <= 0) {
    end = max;
    while (end > 0 && (buf[end]! & 0xc0) === 0x80) end--;
  }
  return { text: buf.subarray(0, end).toString('utf8'), bytes: buf.length, truncated: true };
}
