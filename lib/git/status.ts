import type { Git } from './git.js';

/**
 * Uncommitted changes or untracked files in a worktree. `--no-optional-locks` so reading it
 * never takes the index lock an agent committing there may need.
 */
export async function isDirty(git: Git, dir: string): Promise<boolean> {
  const out = await git.run(dir, ['--no-optional-locks', 'status', '--porcelain', '-z']);
  return out.length > 0;
}
