/**
 * Review and the merge gate (docs/review.md): one home for submitting a repository card for
 * review, the one approval, requesting changes, the reviewer's review card, and the merge gate
 * that lands an approved card on its base. The CLI, the socket API, the panel's actions and the
 * supervisor all call these.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { FleetError } from '../errors.js';
import {
  aheadBehind,
  diffSummary,
  fileDiffs,
  isDirty,
  mergeInScratch,
  push,
  resolveCommit,
  type DiffFile,
  type MergeOutcome,
} from '../git/index.js';
import { forgeEnv, pullRequestArgv } from '../repos/forge.js';
import { REVIEWER_CLASS } from '../supervisor/dispatch.js';
import { worktreesRoot, type Repo } from '../repos/place.js';
import type {
  ApproveInput,
  RepoPlace,
  RequestChangesInput,
  ReviewFile,
  ReviewOps,
  ReviewRecord,
  ReviewShowInput,
  ReviewView,
  ReturnKind,
} from '../review/contract.js';
import type { Runner } from '../runner.js';
import type { CompletionVerdict } from '../store/backlog.js';
import type { CardView, CompleteInput } from '../store/contract.js';
import {
  cardPlace,
  cleanUpMerged,
  ensureCardWorktree,
  repoProblem,
  type RepoDeps,
} from './worktrees.js';

export interface CheckRun {
  ok: boolean;
  exitCode: number | null;
  output: string;
}

export interface ReviewDeps extends RepoDeps {
  /** PAUSE holds merges exactly as it holds dispatch */
  paused(): Promise<boolean>;
  /** a card's acceptance check in a directory (server/supervisor/check.ts) */
  runCheck(command: string, cwd: string): Promise<CheckRun>;
  /** runs the forge CLI (gh, tea) */
  runner: Runner;
  now(): Date;
  /** told after an answer, so the merge gate or the dispatcher looks now */
  onAnswer?(): void;
}

const MERGE_GATE = 'merge-gate';

const firstLine = (e: unknown): string =>
  (e instanceof Error ? e.message : String(e)).split('\n')[0]!;

/** The key of the review card of one round, so it is made once. */
export const reviewCardKey = (id: string, round: number): string => `review:${id}:${round}`;
const REVIEW_KEY_RE = /^review:(.+):(\d+)$/;

function newRecord(prev: ReviewRecord | null, author: string): ReviewRecord {
  return {
    state: 'pending',
    author,
    round: (prev?.round ?? 0) + 1,
    approved_by: null,
    approved_at: null,
    comments: prev?.comments ?? [],
    returned: prev?.returned ?? null,
    merge: null,
    pull_request: prev?.pull_request ?? null,
    gate_error: null,
  };
}

/** The agent named in a claim owner `<agent>@<host>#<epoch>` (server/supervisor/owner.ts). */
function ownerAgent(owner: string): string {
  return owner.split('@')[0] ?? owner;
}

function inReview(card: CardView): ReviewRecord {
  if (card.status !== 'review' || !card.review)
    throw new FleetError('CONFLICT', `card ${card.id} is ${card.status}, not in review`);
  return card.review;
}

function reviewFile(
  f: DiffFile & { patch?: string; bytes?: number; truncated?: boolean },
): ReviewFile {
  return {
    path: f.path,
    status: f.status,
    old_path: f.oldPath ?? null,
    additions: f.additions,
    deletions: f.deletions,
    binary: f.binary,
    ...(f.patch === undefined
      ? {}
      : { patch: f.patch, patch_bytes: f.bytes, truncated: f.truncated }),
  };
}

export function reviewCommands(repo: Repo, place: RepoPlace, id: string): ReviewView['commands'] {
  return {
    diff: `git -C ${repo.dir} diff ${place.base}...${place.branch}`,
    log: `git -C ${repo.dir} log --oneline ${place.base}..${place.branch}`,
    show: `fleet review show ${id} --diff`,
  };
}

async function view(d: ReviewDeps, card: CardView, withDiff: boolean): Promise<ReviewView> {
  const at = cardPlace(d, card);
  if (!at) throw new FleetError('CONFLICT', `card ${card.id} is not a repository card`);
  if (!card.review)
    throw new FleetError('CONFLICT', `card ${card.id} has not been submitted for review`);
  const { repo, place } = at;
  let files: ReviewFile[] = [];
  let ahead = 0;
  let behind = 0;
  let additions = 0;
  let deletions = 0;
  // after the merge the branch is gone: the card keeps its record, the diff is in base's log
  if ((await resolveCommit(d.git, repo.dir, `refs/heads/${place.branch}`)) !== null) {
    const ab = await aheadBehind(d.git, repo.dir, place.branch, place.base);
    ahead = ab.ahead;
    behind = ab.behind;
    if (withDiff) {
      const diffs = await fileDiffs(d.git, repo.dir, place.base, place.branch);
      files = diffs.files.map(reviewFile);
    } else {
      files = (await diffSummary(d.git, repo.dir, place.base, place.branch)).files.map(reviewFile);
    }
    additions = files.reduce((n, f) => n + (f.additions ?? 0), 0);
    deletions = files.reduce((n, f) => n + (f.deletions ?? 0), 0);
  }
  return {
    ...d.identity,
    card: { id: card.id, title: card.title, status: card.status, phase: card.phase },
    place,
    review: card.review,
    ahead,
    behind,
    files,
    additions,
    deletions,
    commands: reviewCommands(repo, place, card.id),
  };
}

/**
 * What a reported completion becomes (the supervisor's completion guard, after the acceptance
 * check): a repository card with committed work goes to review; one with uncommitted changes or
 * no commits goes back with the reason. A review card is done only once its review is answered.
 * Null for a plain card.
 */
export async function submission(
  d: Pick<ReviewDeps, 'backlog' | 'git' | 'roster' | 'home' | 'runCheck' | 'log'>,
  card: CardView,
  input: CompleteInput,
): Promise<CompletionVerdict | 'plain'> {
  const key = card.idempotency_key ? REVIEW_KEY_RE.exec(card.idempotency_key) : null;
  if (key) {
    const target = (await d.backlog.show(key[1]!)).card;
    const round = Number(key[2]);
    const open =
      target.status === 'review' &&
      target.review?.round === round &&
      target.review.state === 'pending';
    return open
      ? {
          fail: `answer the review first: fleet review approve ${target.id}, or fleet review request-changes ${target.id} --comment "<what to change>"`,
        }
      : null;
  }
  const at = cardPlace(d, card);
  if (!at) return 'plain';
  const { repo, place } = at;
  if (!existsSync(place.worktree))
    return {
      fail: `the worktree ${place.worktree} is missing; the card is worked there (it is made again when the card is next claimed)`,
    };
  if (await isDirty(d.git, place.worktree))
    return {
      fail: `uncommitted changes in ${place.worktree}: commit them on ${place.branch}, then report done again`,
    };
  const { ahead } = await aheadBehind(d.git, repo.dir, place.branch, place.base);
  if (ahead === 0)
    return {
      fail: `no commits on ${place.branch} ahead of ${place.base}: commit your work in ${place.worktree}`,
    };
  if (card.acceptance.check) {
    const r = await d.runCheck(card.acceptance.check, place.worktree);
    d.log(
      `acceptance check for ${card.id} in ${place.worktree}: ${r.ok ? 'passed' : `failed (exit ${r.exitCode})`}`,
    );
    if (!r.ok)
      return { fail: `acceptance check failed (exit ${r.exitCode ?? 'none'}): ${r.output}` };
  }
  return { review: newRecord(card.review, ownerAgent(input.owner)) };
}

/**
 * Close the review card of this round: its answer is in. A reviewer agent that answered its own
 * card reports it done itself; one answered by someone else is closed here (a claimed one with
 * its holder's fence, so the reviewer's later report is refused, not counted).
 */
async function closeReviewCard(
  d: ReviewDeps,
  id: string,
  round: number,
  by: string,
): Promise<void> {
  const rc = await d.backlog.byKey(reviewCardKey(id, round));
  if (!rc || rc.status === 'done') return;
  try {
    if (rc.status !== 'claimed')
      await d.backlog.move({
        id: rc.id,
        to: 'done',
        reason: `review answered by ${by}`,
        actor: by,
      });
    else if (rc.claim_owner && ownerAgent(rc.claim_owner) !== by)
      await d.backlog.complete({ id: rc.id, owner: rc.claim_owner, fence: rc.fence });
  } catch (e) {
    d.log(`review card ${rc.id}: not closed: ${firstLine(e)}`);
  }
}

function returned(kind: ReturnKind, by: string, text: string, files: string[], at: string) {
  return { kind, by, at, text, files };
}

export function createReviewOps(d: ReviewDeps): ReviewOps {
  const card = async (id: string) => (await d.backlog.show(id)).card;
  return {
    async list() {
      const cards = await d.backlog.list({ status: 'review' });
      cards.sort((a, b) => a.status_changed_at.localeCompare(b.status_changed_at));
      return Promise.all(cards.map((c) => view(d, c, false)));
    },
    async show(i: ReviewShowInput) {
      return view(d, await card(i.id), i.diff ?? true);
    },
    async approve(i: ApproveInput) {
      const by = i.by ?? 'operator';
      const cur = await card(i.id);
      const rec = inReview(cur);
      if (rec.state === 'approved')
        throw new FleetError(
          'CONFLICT',
          `card ${i.id} is already approved by ${rec.approved_by}; the merge gate merges it`,
        );
      if (by === rec.author)
        throw new FleetError(
          'FORBIDDEN',
          `card ${i.id}: ${by} wrote it and cannot approve it (the reviewer is someone else)`,
        );
      const at = d.now().toISOString();
      const done = await d.backlog.setReview(
        i.id,
        (r) => {
          if (r.state !== 'pending')
            throw new FleetError('CONFLICT', `card ${i.id} is already approved`);
          return { ...r, state: 'approved', approved_by: by, approved_at: at, gate_error: null };
        },
        { kind: 'approved', actor: by, detail: { round: rec.round } },
      );
      await closeReviewCard(d, i.id, rec.round, by);
      d.onAnswer?.();
      return view(d, done, false);
    },
    async requestChanges(i: RequestChangesInput) {
      const by = i.by ?? 'operator';
      const cur = await card(i.id);
      const rec = inReview(cur);
      if (by === rec.author)
        throw new FleetError('FORBIDDEN', `card ${i.id}: ${by} wrote it and cannot review it`);
      const at = d.now().toISOString();
      const back = await d.backlog.returnToAuthor(
        i.id,
        (r) => ({
          ...r,
          state: 'pending',
          approved_by: null,
          approved_at: null,
          comments: [...r.comments, { by, at, text: i.comment }],
          returned: returned('changes', by, i.comment, [], at),
        }),
        { actor: by, detail: { round: rec.round, kind: 'changes' } },
      );
      await closeReviewCard(d, i.id, rec.round, by);
      d.onAnswer?.();
      return view(d, back, false);
    },
  };
}

/** The body of a reviewer's card: what to review and the commands to see and answer it. */
export function reviewCardBody(
  card: CardView,
  rec: ReviewRecord,
  repo: Repo,
  place: RepoPlace,
): string {
  const c = reviewCommands(repo, place, card.id);
  const lines = [
    `Review card ${card.id} "${card.title}" by ${rec.author}, round ${rec.round}: branch ${place.branch} into ${place.base} of repo ${repo.name}.`,
    `See the change: ${c.show}`,
    `Or with git: ${c.diff}`,
  ];
  if (card.acceptance.criteria.length)
    lines.push(
      `It must meet: ${card.acceptance.criteria.map((x, n) => `(${n + 1}) ${x}`).join(' ')}`,
    );
  if (rec.comments.length)
    lines.push(
      `Earlier comments: ${rec.comments.map((x) => `${x.by}: ${x.text.split('\n')[0]}`).join(' | ')}`,
    );
  lines.push(
    `Approve: fleet review approve ${card.id}`,
    `Request changes: fleet review request-changes ${card.id} --comment "<what to change>"`,
    'Answer with one of them, then report this review card done.',
  );
  return lines.join('\n');
}

export interface GatePass {
  merged: string[];
  returned: string[];
  held: string[];
  reviewCards: string[];
}

/**
 * One pass of the merge gate, run by the supervisor each tick: review cards for pending reviews
 * when the fleet has a reviewer, forge pull requests, then every approved card merged in a
 * scratch worktree with its check, unless PAUSE holds merges.
 */
export async function mergeGatePass(
  d: ReviewDeps,
  reviewers: readonly string[],
): Promise<GatePass> {
  const out: GatePass = { merged: [], returned: [], held: [], reviewCards: [] };
  const cards = await d.backlog.list({ status: 'review' });
  if (!cards.length) return out;
  for (const c of cards) {
    if (c.review?.state !== 'pending') continue;
    if (reviewers.length) await ensureReviewCard(d, c, out);
    await ensurePullRequest(d, c);
  }
  const approved = cards.filter((c) => c.review?.state === 'approved');
  for (const c of approved) {
    if (await d.paused()) {
      out.held.push(
        ...approved
          .filter((a) => !out.merged.includes(a.id) && !out.returned.includes(a.id))
          .map((a) => a.id),
      );
      break;
    }
    await mergeOne(d, c, out);
  }
  return out;
}

async function ensureReviewCard(d: ReviewDeps, c: CardView, out: GatePass): Promise<void> {
  const rec = c.review!;
  const at = cardPlace(d, c);
  if (!at) return;
  try {
    const r = await d.backlog.create({
      title: `Review ${c.id}: ${c.title}`.slice(0, 500),
      body: reviewCardBody(c, rec, at.repo, at.place),
      assignee_class: REVIEWER_CLASS,
      priority: c.priority + 1,
      idempotency_key: reviewCardKey(c.id, rec.round),
      phase: 'review',
      repo: null,
      actor: MERGE_GATE,
    });
    if (r.created) out.reviewCards.push(r.card.id);
  } catch (e) {
    d.log(`review card for ${c.id}: ${firstLine(e)}`);
  }
}

/**
 * With a forge configured: each review round's branch is pushed once, and the first round opens
 * the pull request (what the CLI printed last is kept). A failure is logged and tried again at
 * the next round, not at every pass.
 */
async function ensurePullRequest(d: ReviewDeps, c: CardView): Promise<void> {
  const at = cardPlace(d, c);
  const rec = c.review!;
  const forge = at?.repo.pull_request;
  const remote = at?.repo.remote;
  if (!at || !forge || !remote || rec.pushed_round === rec.round) return;
  const { repo, place } = at;
  let opened = rec.pull_request;
  try {
    await push(d.git, repo.dir, remote, place.branch);
    if (!opened) {
      const argv = pullRequestArgv(forge, {
        base: place.base,
        head: place.branch,
        title: `${c.id}: ${c.title}`,
        body: `${c.body}\n\nFrom Mosaic Fleet card ${c.id}, by ${rec.author}.`.trim(),
      });
      const r = await d.runner(argv, {
        cwd: repo.dir,
        timeoutMs: 60_000,
        env: forgeEnv(process.env),
      });
      const said = (r.stdout.trim() || r.stderr.trim()).split('\n').pop() ?? '';
      if (r.exitCode === 0) opened = said || 'opened';
      else d.log(`pull request for ${c.id}: ${argv[0]} exited ${r.exitCode}: ${said}`);
    }
  } catch (e) {
    d.log(`pull request for ${c.id}: ${firstLine(e)}`);
  }
  await d.backlog.setReview(
    c.id,
    (cur) => ({ ...cur, pull_request: opened, pushed_round: cur.round }),
    {
      kind: 'updated',
      actor: MERGE_GATE,
      detail: { fields: ['pull_request'], pull_request: opened },
    },
  );
}

async function gateError(d: ReviewDeps, c: CardView, why: string): Promise<void> {
  if (c.review?.gate_error === why) return;
  d.log(`merge gate: ${c.id} held: ${why}`);
  await d.backlog.setReview(c.id, (r) => ({ ...r, gate_error: why }), {
    kind: 'merge_held',
    actor: MERGE_GATE,
    detail: { reason: why },
  });
}

async function mergeOne(d: ReviewDeps, c: CardView, out: GatePass): Promise<void> {
  const at = (() => {
    try {
      return cardPlace(d, c);
    } catch (e) {
      return firstLine(e);
    }
  })();
  if (at === null || typeof at === 'string') {
    await gateError(d, c, typeof at === 'string' ? at : 'not a repository card any more');
    return;
  }
  const { repo, place } = at;
  const problem = await repoProblem(d.git, repo, place.base);
  if (problem) {
    await gateError(d, c, problem);
    return;
  }
  const check = c.acceptance.check;
  const scratchDir = path.join(
    worktreesRoot(d.home),
    '.scratch',
    `${repo.name}-${place.branch.slice('fleet/'.length)}-${d.now().getTime()}`,
  );
  let outcome: MergeOutcome;
  try {
    outcome = await mergeInScratch(d.git, {
      repo: repo.dir,
      base: place.base,
      branch: place.branch,
      strategy: repo.merge,
      scratchDir,
      message: `${c.id}: ${c.title}`,
      check: check ? (dir) => d.runCheck(check, dir) : undefined,
      // a clean checkout of base is brought along below (docs/review.md "The merge gate")
      allowCheckedOutBase: true,
    });
  } catch (e) {
    await gateError(d, c, firstLine(e));
    return;
  }
  const at2 = d.now().toISOString();
  if (!outcome.ok && outcome.reason === 'base-moved') {
    d.log(`merge gate: ${place.base} moved while merging ${c.id}; trying again next pass`);
    return;
  }
  if (!outcome.ok) {
    const text =
      outcome.reason === 'conflict'
        ? `merging into ${place.base} conflicted in: ${outcome.files.join(', ')}. Merge ${place.base} into your branch (git merge ${place.base}), resolve the conflicts, commit, and report done again.`
        : `the check failed on the result of merging into ${place.base}: ${outcome.check}`;
    const kind: ReturnKind = outcome.reason === 'conflict' ? 'conflict' : 'check';
    const files = outcome.reason === 'conflict' ? outcome.files : [];
    await d.backlog.returnToAuthor(
      c.id,
      (r) => ({
        ...r,
        state: 'pending',
        approved_by: null,
        approved_at: null,
        returned: returned(kind, MERGE_GATE, text, files, at2),
      }),
      { actor: MERGE_GATE, detail: { kind, files } },
    );
    out.returned.push(c.id);
    d.log(`merge gate: ${c.id} back to ${c.review!.author}: ${kind}`);
    return;
  }
  const notes: string[] = [];
  if (outcome.checkedOutBase && outcome.changed) {
    // base was checked out (clean) there: bring its index and files to the merged commit
    try {
      await d.git.run(outcome.checkedOutBase, [
        'read-tree',
        '-m',
        '-u',
        outcome.previous,
        outcome.commit,
      ]);
    } catch (e) {
      notes.push(`${outcome.checkedOutBase} still shows the old ${place.base}: ${firstLine(e)}`);
    }
  }
  let pushedTo: string | null = null;
  if (repo.remote) {
    try {
      await push(d.git, repo.dir, repo.remote, place.base);
      pushedTo = repo.remote;
    } catch (e) {
      notes.push(`merged locally; pushing ${place.base} to ${repo.remote} failed: ${firstLine(e)}`);
    }
  }
  await d.backlog.merged(
    c.id,
    (r) => ({
      ...r,
      merge: {
        commit: outcome.commit,
        merged: outcome.merged,
        strategy: repo.merge,
        at: at2,
        pushed_to: pushedTo,
        pull_request: r.pull_request,
      },
      gate_error: notes.length ? notes.join('; ') : null,
    }),
    { commit: outcome.commit, strategy: repo.merge, pushed_to: pushedTo },
  );
  out.merged.push(c.id);
  d.log(
    `merge gate: ${c.id} merged into ${place.base} at ${outcome.commit.slice(0, 12)}${pushedTo ? `, pushed to ${pushedTo}` : ''}`,
  );
  for (const n of notes) d.log(`merge gate: ${c.id}: ${n}`);
  await cleanUpMerged(d, repo, place);
}

/** What the supervisor asks of repositories: a card's worktree, and a merge gate pass. */
export interface RepoWork {
  /**
   * A claimed card's worktree, made or reused (null for a plain card). One that cannot be made
   * blocks the card with the one-line reason (no attempt could help) and throws it.
   */
  prepare(card: CardView): Promise<RepoPlace | null>;
  /** one pass of the merge gate; `reviewers` are the agents of class reviewer */
  gatePass(reviewers: readonly string[]): Promise<GatePass>;
}

export function createRepoWork(d: ReviewDeps): RepoWork {
  return {
    prepare: async (card) => {
      try {
        return await ensureCardWorktree(d, card);
      } catch (e) {
        const reason = firstLine(e);
        try {
          await d.backlog.block({ id: card.id, reason, actor: 'fleetd' });
        } catch (err) {
          d.log(`card ${card.id}: not blocked: ${firstLine(err)}`);
        }
        throw new FleetError('CONFLICT', `card ${card.id} is blocked: ${reason}`, { cause: e });
      }
    },
    gatePass: (reviewers) => mergeGatePass(d, reviewers),
  };
}
