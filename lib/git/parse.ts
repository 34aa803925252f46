/** Parsers of git's machine-readable output: pure functions over strings. */

export interface Worktree {
  path: string;
  /** null for a bare repository's entry */
  head: string | null;
  /** short branch name (without refs/heads/), null when detached or bare */
  branch: string | null;
  detached: boolean;
  bare: boolean;
  /** the first entry: the repository's main worktree (or the bare repository itself) */
  main: boolean;
  locked: boolean;
  lockedReason?: string;
  /** its directory is gone: `git worktree prune` would remove the entry */
  prunable: boolean;
  prunableReason?: string;
}

/** Split one `key value` line; a bare key has no value. */
function field(line: string): [string, string | undefined] {
  const i = line.indexOf(' ');
  return i < 0 ? [line, undefined] : [line.slice(0, i), line.slice(i + 1)];
}

/**
 * `git worktree list --porcelain -z`: each line ends in NUL and each record in one more NUL
 * (-z, so a path with a newline stays one path).
 */
export function parseWorktreeList(out: string): Worktree[] {
  const list: Worktree[] = [];
  let cur: Worktree | undefined;
  for (const line of out.split('\0')) {
    if (line === '') {
      cur = undefined;
      continue;
    }
    const [key, value] = field(line);
    if (key === 'worktree') {
      cur = {
        path: value ?? '',
        head: null,
        branch: null,
        detached: false,
        bare: false,
        main: list.length === 0,
        locked: false,
        prunable: false,
      };
      list.push(cur);
      continue;
    }
    if (!cur) continue;
    if (key === 'HEAD') cur.head = value ?? null;
    else if (key === 'branch') cur.branch = value?.replace(/^refs\/heads\//, '') ?? null;
    else if (key === 'detached') cur.detached = true;
    else if (key === 'bare') cur.bare = true;
    else if (key === 'locked') {
      cur.locked = true;
      if (value) cur.lockedReason = value;
    } else if (key === 'prunable') {
      cur.prunable = true;
      if (value) cur.prunableReason = value;
    }
  }
  return list;
}

export interface AheadBehind {
  /** commits on the branch that base lacks */
  ahead: number;
  /** commits on base that the branch lacks */
  behind: number;
}

/** `git rev-list --left-right --count <base>...<branch>`: "<left>\t<right>". */
export function parseLeftRight(out: string): AheadBehind {
  const m = /^(\d+)\s+(\d+)\s*$/.exec(out);
  if (!m) throw new Error(`unexpected rev-list --count output: ${JSON.stringify(out)}`);
  return { behind: Number(m[1]), ahead: Number(m[2]) };
}

/** A NUL-separated list (`--name-only -z`), without the empty tail. */
export function parseNulList(out: string): string[] {
  return out.split('\0').filter((s) => s !== '');
}

export interface MergeTreeResult {
  tree: string;
  /** paths with conflicts; empty for a clean merge */
  conflicts: string[];
}

/**
 * `git merge-tree --write-tree --name-only -z`: the merged tree's id NUL, then each conflicted
 * path NUL, then an empty field before the informational messages (ignored here).
 */
export function parseMergeTree(out: string): MergeTreeResult {
  const fields = out.split('\0');
  const end = fields.indexOf('', 1);
  const conflicts = fields.slice(1, end < 0 ? fields.length : end);
  return { tree: (fields[0] ?? '').trim(), conflicts: [...new Set(conflicts)] };
}

export interface RefTip {
  ref: string;
  commit: string;
  tree: string;
}

/** `git for-each-ref --format=%(refname)%00%(objectname)%00%(tree)`: one ref a line. */
export function parseRefTips(out: string): RefTip[] {
  return out
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const [ref = '', commit = '', tree = ''] = l.split('\0');
      return { ref, commit, tree };
    });
}
