import { capBytes, parseDiffFiles, splitPatch, type DiffFile } from './diff-parse.js';
import type { Git } from './git.js';
import { baseAndBranch, mergeBase } from './refs.js';

/**
 * What a card's branch changes: `git diff base...branch`, i.e. from the merge base to the
 * branch tip, so commits base gained since are not shown as reverted. Both calls name the two
 * commits by id and pass the same options (so their file lists come in the same order), and
 * switch off what the repository's config could turn on: colour, a relative diff, an external
 * diff program or a textconv filter (which would run a program).
 */
const DIFF_OPTIONS = ['--no-color', '--no-relative', '--no-ext-diff', '--no-textconv', '-M'];

export interface DiffSummary {
  mergeBase: string;
  head: string;
  files: DiffFile[];
  additions: number;
  deletions: number;
}

export async function diffSummary(
  git: Git,
  repo: string,
  base: string,
  branch: string,
): Promise<DiffSummary> {
  const [b, h] = await baseAndBranch(git, repo, base, branch);
  const head = h.commit;
  const mb = await mergeBase(git, repo, b.commit, head);
  const out = await git.run(repo, [
    'diff',
    ...DIFF_OPTIONS,
    '--raw',
    '--numstat',
    '-z',
    mb,
    head,
    '--',
  ]);
  const files = parseDiffFiles(out);
  const sum = (k: 'additions' | 'deletions'): number => files.reduce((n, f) => n + (f[k] ?? 0), 0);
  return { mergeBase: mb, head, files, additions: sum('additions'), deletions: sum('deletions') };
}

export interface FileDiff extends DiffFile {
  /** the file's unified diff, cut to the byte cap at a line end */
  patch: string;
  /** size of the whole unified diff in bytes */
  bytes: number;
  truncated: boolean;
}

export interface FileDiffs {
  mergeBase: string;
  head: string;
  files: FileDiff[];
}

export const DEFAULT_MAX_FILE_DIFF_BYTES = 256 * 1024;

/** Each changed file's unified diff (binary files say "Binary files … differ"). */
export async function fileDiffs(
  git: Git,
  repo: string,
  base: string,
  branch: string,
  opts: { maxBytesPerFile?: number } = {},
): Promise<FileDiffs> {
  const summary = await diffSummary(git, repo, base, branch);
  const { mergeBase: mb, head } = summary;
  const patch = await git.run(repo, ['diff', ...DIFF_OPTIONS, '--patch', mb, head, '--']);
  const chunks = splitPatch(patch);
  if (chunks.length !== summary.files.length)
    throw new Error(
      `git diff gave ${chunks.length} file sections for ${summary.files.length} files`,
    );
  const max = opts.maxBytesPerFile ?? DEFAULT_MAX_FILE_DIFF_BYTES;
  const files = summary.files.map((f, i) => {
    const c = capBytes(chunks[i]!, max);
    return { ...f, patch: c.text, bytes: c.bytes, truncated: c.truncated };
  });
  return { mergeBase: mb, head, files };
}
