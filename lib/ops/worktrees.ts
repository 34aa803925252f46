/**
 * The worktrees of repository cards (docs/review.md "Repositories and worktrees"): made when a
 * card is claimed, listed, and pruned only when nothing would be lost. One home for each; the
 * supervisor, the socket API and the panel call these.
 */
import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { FleetError } from '../errors.js';
import {
  addWorktree,
  aheadBehind,
  branchExists,
  checkoutOf,
  deleteBranch,
  diskUsage,
  isDirty,
  isMerged,
  isRepo,
  listWorktrees,
  removeWorktree,
  samePath,
  worktreeAt,
  Git,
} from '../git/index.js';
import { execFileRunner } from '../runner.js';
import { operatorUmask } from '../umask.js';
import type { FleetHome } from '../home.js';
import {
  placeOf,
  repoOf,
  rosterRepos,
  unknownRepoLine,
  worktreesRoot,
  type Repo,
} from '../repos/place.js';
import type {
  PruneInput,
  PruneResult,
  RepoPlace,
  WorktreeOps,
  WorktreeView,
} from '../review/contract.js';
import type { Roster } from '../roster/schema.js';
import type { BacklogService } from '../store/backlog.js';
import type { CardView, Identity } from '../store/contract.js';

/**
 * git as fleetd runs it on the operator's repositories: argv through execFile, with the operator's
 * umask (fleetd's own is 077; docs/security.md "Repositories and the merge gate").
 */
export function operatorGit(): Git {
  return new Git({ runner: execFileRunner, umask: operatorUmask() });
}

export interface RepoDeps {
  home: Pick<FleetHome, 'root'>;
  git: Git;
  /** the roster as it is now (read per call: repos may be added while fleetd runs) */
  roster(): Roster;
  backlog: BacklogService;
  identity: Identity;
  log(line: string): void;
}

const firstLine = (e: unknown): string =>
  (e instanceof Error ? e.message : String(e)).split('\n')[0]!;

/**
 * What stops work in `repo` on `base`, as one line, or null: not a repository, no such base
 * branch, or base checked out with uncommitted changes (the merge gate moves base; docs/review.md
 * "The merge gate").
 */
export async function repoProblem(git: Git, repo: Repo, base: string): Promise<string | null> {
  if (!(await isRepo(git, repo.dir)))
    return `repo ${repo.name}: ${repo.dir} is not a git repository`;
  if (!(await branchExists(git, repo.dir, base)))
    return `repo ${repo.name}: base branch "${base}" does not exist in ${repo.dir}`;
  const holder = checkoutOf(await listWorktrees(git, repo.dir), base);
  if (holder && !holder.prunable && (await isDirty(git, holder.path)))
    return `repo ${repo.name}: ${base} is checked out at ${holder.path} with uncommitted changes; commit or stash them there first (the merge gate moves ${base})`;
  return null;
}

/** Every repo problem of a roster, one line each (`fleet roster validate`). */
export async function rosterRepoProblems(git: Git, roster: Roster): Promise<string[]> {
  const out: string[] = [];
  for (const repo of rosterRepos(roster)) {
    const p = await repoProblem(git, repo, repo.base);
    if (p) out.push(p);
  }
  return out;
}

/** The card's repo and place, or null for a plain card; an unknown repo is one clear line. */
export function cardPlace(
  d: Pick<RepoDeps, 'home' | 'roster'>,
  card: CardView,
): { repo: Repo; place: RepoPlace } | null {
  if (card.repo === null) return null; // a plain card: no roster needed (fleetd may run without one)
  const of = repoOf(card, d.roster());
  if (of.kind === 'plain') return null;
  if (of.kind === 'unknown')
    throw new FleetError('USAGE', `card ${card.id}: ${unknownRepoLine(of)}`);
  return { repo: of.repo, place: placeOf(card, of.repo, d.home) };
}

/**
 * The card's worktree, made on first claim (branch `fleet/<id>` from base) and reused when the
 * card comes back. Refused with one line, creating nothing, when the repository is not usable or
 * a branch of that name exists that is not this card's worktree.
 */
export async function ensureCardWorktree(
  d: Pick<RepoDeps, 'home' | 'roster' | 'git'>,
  card: CardView,
): Promise<RepoPlace | null> {
  const at = cardPlace(d, card);
  if (!at) return null;
  const { repo, place } = at;
  const problem = await repoProblem(d.git, repo, place.base);
  if (problem) throw new FleetError('USAGE', problem);
  const list = await listWorktrees(d.git, repo.dir);
  const here = worktreeAt(list, place.worktree);
  // the branch is this card's when its worktree is there, or when the card was worked before
  // and the branch is checked out nowhere (its worktree was removed by hand or pruned)
  const ours =
    here?.branch === place.branch ||
    ((card.attempts > 1 || card.review !== null) && !checkoutOf(list, place.branch));
  if (!ours && (await branchExists(d.git, repo.dir, place.branch)))
    throw new FleetError(
      'CONFLICT',
      `repo ${repo.name}: branch ${place.branch} already exists and is not card ${card.id}'s worktree; rename or delete it (git -C ${repo.dir} branch -m ${place.branch} <new name>)`,
    );
  mkdirSync(path.dirname(place.worktree), { recursive: true });
  await addWorktree(d.git, repo.dir, place.worktree, place.branch, place.base);
  return place;
}

/** Remove a merged card's worktree and branch; what cannot be removed stays for prune. */
export async function cleanUpMerged(
  d: Pick<RepoDeps, 'git' | 'log'>,
  repo: Repo,
  place: RepoPlace,
): Promise<void> {
  try {
    await removeWorktree(d.git, repo.dir, place.worktree);
    await deleteBranch(d.git, repo.dir, place.branch, { force: true });
  } catch (e) {
    d.log(`merge gate: kept ${place.worktree} (${place.branch}): ${firstLine(e)}`);
  }
}

interface Found {
  repo: Repo;
  path: string;
  branch: string;
  card: CardView | null;
}

async function findWorktrees(d: RepoDeps): Promise<Found[]> {
  const root = worktreesRoot(d.home);
  const cards = await d.backlog.list({});
  const out: Found[] = [];
  for (const repo of rosterRepos(d.roster())) {
    const dir = path.join(root, repo.name);
    let list;
    try {
      list = await listWorktrees(d.git, repo.dir);
    } catch (e) {
      d.log(`worktrees of ${repo.name}: ${firstLine(e)}`);
      continue;
    }
    for (const w of list) {
      if (w.main || w.bare || !w.branch?.startsWith('fleet/')) continue;
      if (!samePath(path.dirname(w.path), dir)) continue;
      const card =
        cards.find((c) => {
          const of = repoOf(c, d.roster());
          return (
            of.kind === 'repo' &&
            of.repo.name === repo.name &&
            placeOf(c, of.repo, d.home).branch === w.branch
          );
        }) ?? null;
      out.push({ repo, path: w.path, branch: w.branch, card });
    }
    // a directory left under worktrees/<repo>/ that git no longer knows is listed too
    let names: string[] = [];
    try {
      names = readdirSync(dir);
    } catch {
      names = [];
    }
    for (const n of names) {
      const p = path.join(dir, n);
      if (!out.some((f) => samePath(f.path, p)))
        out.push({ repo, path: p, branch: '', card: null });
    }
  }
  return out;
}

async function describe(d: RepoDeps, f: Found): Promise<WorktreeView> {
  const base = f.card?.base ?? f.repo.base;
  const view: WorktreeView = {
    repo: f.repo.name,
    path: f.path,
    branch: f.branch,
    card: f.card?.id ?? null,
    card_status: f.card?.status ?? null,
    ahead: 0,
    behind: 0,
    merged: false,
    dirty: false,
    bytes: 0,
    problem: null,
  };
  if (!f.branch) return { ...view, problem: 'not a worktree git knows: remove it by hand' };
  try {
    const ab = await aheadBehind(d.git, f.repo.dir, f.branch, base);
    view.ahead = ab.ahead;
    view.behind = ab.behind;
    view.merged = await isMerged(d.git, f.repo.dir, f.branch, base);
    view.dirty = await isDirty(d.git, f.path);
    view.bytes = await diskUsage(f.path);
  } catch (e) {
    view.problem = firstLine(e);
  }
  return view;
}

/** Why a worktree must stay, or null when removing it (and its branch) loses nothing. */
export function keepReason(w: WorktreeView): string | null {
  if (w.problem) return w.problem;
  if (w.dirty) return 'uncommitted changes';
  if (w.card_status === 'claimed') return `card ${w.card} is being worked`;
  if (w.card_status === 'review') return `card ${w.card} is in review`;
  if (w.merged) return null;
  if (w.ahead === 0) return null;
  return `${w.ahead} commit(s) not merged into base`;
}

export function createWorktreeOps(d: RepoDeps): WorktreeOps {
  const listAll = async (): Promise<WorktreeView[]> =>
    Promise.all((await findWorktrees(d)).map((f) => describe(d, f)));
  return {
    async list() {
      return { ...d.identity, worktrees: await listAll() };
    },
    async prune(input: PruneInput): Promise<PruneResult> {
      const result: PruneResult = {
        ...d.identity,
        dry_run: Boolean(input.dry_run),
        removed: [],
        kept: [],
      };
      for (const w of await listAll()) {
        const keep = keepReason(w);
        if (keep) {
          result.kept.push({ path: w.path, branch: w.branch, why: keep });
          continue;
        }
        const why = w.merged ? 'merged' : 'no commits of its own';
        if (!input.dry_run) {
          const repo = rosterRepos(d.roster()).find((r) => r.name === w.repo)!;
          try {
            await removeWorktree(d.git, repo.dir, w.path);
            await deleteBranch(d.git, repo.dir, w.branch, {
              mergedInto: w.card
                ? ((await d.backlog.show(w.card)).card.base ?? repo.base)
                : repo.base,
            });
          } catch (e) {
            result.kept.push({ path: w.path, branch: w.branch, why: firstLine(e) });
            continue;
          }
        }
        result.removed.push({ path: w.path, branch: w.branch, why });
      }
      return result;
    },
  };
}
