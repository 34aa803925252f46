import { InvalidGitName } from './errors.js';

/**
 * Why git would refuse `name` as a branch, or undefined when it is fine: the rules of
 * git-check-ref-format(1) for a branch, checked here so a bad name gets a clear error naming the
 * field before any command runs. A leading "-" is refused as well: git itself trips over it
 * (`git worktree add -b -x` runs `git branch -x` and fails with "unknown switch").
 */
export function branchNameProblem(name: string): string | undefined {
  if (name === '') return 'is empty';
  if (name.startsWith('-')) return 'starts with "-"';
  if (name === '@' || name === 'HEAD') return `is "${name}"`;
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(name)) return 'contains a control character';
  if (name.includes(' ')) return 'contains a space';
  const bad = ['~', '^', ':', '?', '*', '[', '\\'].find((c) => name.includes(c));
  if (bad) return `contains "${bad}"`;
  if (name.includes('..')) return 'contains ".."';
  if (name.includes('@{')) return 'contains "@{"';
  if (name.endsWith('.')) return 'ends with "."';
  const parts = name.split('/');
  if (parts.some((p) => p === '')) return 'has an empty path component';
  if (parts.some((p) => p.startsWith('.'))) return 'has a component starting with "."';
  if (parts.some((p) => p.endsWith('.lock'))) return 'has a component ending with ".lock"';
  return undefined;
}

export function assertBranchName(repo: string, name: string, field = 'branch'): void {
  const problem = branchNameProblem(name);
  if (problem) throw new InvalidGitName(repo, field, name, problem);
}

/** A remote is a name, a URL or a path; it only must not read as an option. */
export function assertRemote(repo: string, remote: string): void {
  const problem =
    remote === ''
      ? 'is empty'
      : remote.startsWith('-')
        ? 'starts with "-"'
        : // eslint-disable-next-line no-control-regex
          /[\x00-\x1f\x7f]/.test(remote)
          ? 'contains a control character'
          : undefined;
  if (problem) throw new InvalidGitName(repo, 'remote', remote, problem);
}
