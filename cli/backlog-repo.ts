/** The options of a repository card (docs/review.md) on `fleet backlog create` and `update`. */
import type { Command } from 'commander';
import { list, str, type Opts } from './backlog-verb.js';

/** --path globs may hold commas (`src/{a,b}/**`): each --path is one glob, never split. */
const glob = (v: string, prev: string[] = []) => [...prev, v];

/**
 * A repo card's --repo, --base and --path (docs/review.md). On update `none` clears --repo and
 * --base (to null), and a lone `--path none` clears the paths.
 */
export function withRepoOptions(cmd: Command, update = false): Command {
  return cmd
    .option(
      '--repo <name>',
      update
        ? "a repository from the roster's repos, or none"
        : "a repository from the roster's repos (default: its default_repo)",
    )
    .option(
      '--base <branch>',
      update
        ? 'the branch it starts from and merges into, or none (the repo’s base)'
        : 'the branch it starts from and merges into (default: the repo’s base)',
    )
    .option(
      '--path <glob>',
      update
        ? 'a path glob the work touches (repeatable; replaces the list; none clears it)'
        : 'a path glob the work touches; cards whose paths overlap in one repo wait for each other (repeatable)',
      glob,
    );
}

export function repoFields(o: Opts): { repo?: string; base?: string; paths?: string[] } {
  return { repo: str(o, 'repo'), base: str(o, 'base'), paths: list(o, 'path') };
}

export function repoUpdates(o: Opts): {
  repo?: string | null;
  base?: string | null;
  paths?: string[];
} {
  const orNull = (v: string | undefined) => (v === 'none' ? null : v);
  const paths = list(o, 'path');
  return {
    repo: orNull(str(o, 'repo')),
    base: orNull(str(o, 'base')),
    paths: paths && paths.length === 1 && paths[0] === 'none' ? [] : paths,
  };
}
