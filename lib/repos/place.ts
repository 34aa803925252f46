/**
 * Where a repository card is worked (docs/review.md "Repositories and worktrees"): its roster
 * repo, base branch, branch and worktree. Pure: the roster and FLEET_HOME in, paths out.
 */
import path from 'node:path';
import type { FleetHome } from '../home.js';
import { expandHome } from '../home.js';
import { cardBranch, type RepoPlace } from '../review/contract.js';
import type { Roster, RosterRepo } from '../roster/schema.js';

export interface CardRepoFields {
  id: string;
  repo: string | null;
  base: string | null;
}

/** A roster repo with its path made absolute. */
export interface Repo extends RosterRepo {
  dir: string;
}

export function rosterRepos(roster: Pick<Roster, 'repos'>): Repo[] {
  return roster.repos.map((r) => ({ ...r, dir: path.resolve(expandHome(r.path)) }));
}

/** The directory every card worktree lives under. */
export function worktreesRoot(home: Pick<FleetHome, 'root'>): string {
  return path.join(home.root, 'worktrees');
}

export type RepoOf =
  | { kind: 'plain' }
  | { kind: 'repo'; repo: Repo }
  | { kind: 'unknown'; name: string; known: string[] };

/**
 * The card's repo, looked up in the roster; none for a plain card. (A card created without
 * naming one got the roster's `default_repo` when it was created: lib/store/backlog.ts.)
 */
export function repoOf(card: Pick<CardRepoFields, 'repo'>, roster: Pick<Roster, 'repos'>): RepoOf {
  const name = card.repo;
  if (name === null) return { kind: 'plain' };
  const repo = rosterRepos(roster).find((r) => r.name === name);
  if (!repo) return { kind: 'unknown', name, known: roster.repos.map((r) => r.name) };
  return { kind: 'repo', repo };
}

export function placeOf(
  card: CardRepoFields,
  repo: Repo,
  home: Pick<FleetHome, 'root'>,
): RepoPlace {
  const branch = cardBranch(card.id);
  return {
    repo: repo.name,
    base: card.base ?? repo.base,
    branch,
    worktree: path.join(worktreesRoot(home), repo.name, branch.slice('fleet/'.length)),
  };
}

/** The line that says why a card naming an unknown repo cannot be worked. */
export function unknownRepoLine(r: Extract<RepoOf, { kind: 'unknown' }>): string {
  return `repo "${r.name}" is not in the roster's repos (${r.known.join(', ') || 'none declared'})`;
}
