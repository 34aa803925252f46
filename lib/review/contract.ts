/**
 * Review, the merge gate and worktrees on the wire (docs/review.md): request schemas (zod,
 * validated once at each edge) and the views every surface shows. The operations are
 * lib/ops/review.ts and lib/ops/worktrees.ts; the CLI, the socket API, server actions and the
 * web API all call them. No drizzle and no git here, so the CLI bundle can import it.
 */
import { z } from 'zod';
import { findControlChar, describeControlChar, normalizeLineBreaks } from '../control-chars.js';
import { CARD_ID_RE } from '../store/contract.js';

export const MERGE_STRATEGIES = ['squash', 'merge', 'rebase'] as const;
export type MergeStrategyValue = (typeof MERGE_STRATEGIES)[number];

/** `pending`: waiting for its one approval; `approved`: the merge gate merges it next. */
export const REVIEW_STATES = ['pending', 'approved'] as const;
export type ReviewState = (typeof REVIEW_STATES)[number];

/** Why a card went back to its author from review. */
export const RETURN_KINDS = ['changes', 'conflict', 'check'] as const;
export type ReturnKind = (typeof RETURN_KINDS)[number];

const cardId = z.string().regex(CARD_ID_RE, 'must match ^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$');
const by = z.string().trim().min(1).max(200).optional();

/** A reviewer's comment is typed into the author's pane: printable text, line breaks, tabs. */
const comment = z
  .string()
  .overwrite(normalizeLineBreaks)
  .pipe(z.string().trim().min(1, 'say what to change').max(20_000))
  .superRefine((v, ctx) => {
    const bad = findControlChar(v, '\n\t');
    if (bad)
      ctx.addIssue({
        code: 'custom',
        message: `contains ${describeControlChar(bad)}; printable text, line breaks and tabs only`,
      });
  });

export const reviewRef = z.strictObject({ id: cardId });
export const reviewShowInput = z.strictObject({
  id: cardId,
  /** include each file's unified diff (default true) */
  diff: z.boolean().optional(),
});
export const approveInput = z.strictObject({ id: cardId, by });
export const requestChangesInput = z.strictObject({ id: cardId, comment, by });
export const pruneInput = z.strictObject({ dry_run: z.boolean().optional() });

export type ReviewShowInput = z.infer<typeof reviewShowInput>;
export type ApproveInput = z.infer<typeof approveInput>;
export type RequestChangesInput = z.infer<typeof requestChangesInput>;
export type PruneInput = z.infer<typeof pruneInput>;

export interface ReviewComment {
  by: string;
  at: string;
  text: string;
}

/** Why the card last went back to its author, typed into its next prompt. */
export interface Returned {
  kind: ReturnKind;
  by: string;
  at: string;
  /** the reviewer's comment, the conflicting files, or the check's output */
  text: string;
  /** conflicting files (kind `conflict`) */
  files: string[];
}

export interface MergeRecord {
  /** the base's new tip */
  commit: string;
  /** the branch commit that was merged */
  merged: string;
  strategy: MergeStrategyValue;
  at: string;
  /** the remote the base was pushed to, when one is configured */
  pushed_to: string | null;
  /** what the forge printed for the pull request (its URL), when one was opened */
  pull_request: string | null;
}

/** The review record kept on a repo card (cards.review; null until it first reaches review). */
export interface ReviewRecord {
  state: ReviewState;
  /** the agent that did the work; the card goes back to it */
  author: string;
  /** review rounds so far (1 on the first submission) */
  round: number;
  approved_by: string | null;
  approved_at: string | null;
  comments: ReviewComment[];
  returned: Returned | null;
  merge: MergeRecord | null;
  /** the forge pull request opened for the branch (what `gh`/`tea` printed), when configured */
  pull_request: string | null;
  /** the review round whose branch was last pushed for the pull request */
  pushed_round?: number | null;
  /** the merge gate's last refusal that is not the author's to fix (base moved, push failed) */
  gate_error: string | null;
}

/** A card's place in a repository, derived from the card and the roster. */
export interface RepoPlace {
  repo: string;
  base: string;
  branch: string;
  worktree: string;
}

export interface ReviewFile {
  path: string;
  /** added, deleted, modified, renamed, copied, type-changed or unknown */
  status: string;
  old_path: string | null;
  /** null for a binary file */
  additions: number | null;
  deletions: number | null;
  binary: boolean;
  /** the unified diff, cut at `patch_bytes` when truncated (absent when the diff was not asked for) */
  patch?: string;
  patch_bytes?: number;
  truncated?: boolean;
}

export interface ReviewView {
  tenant_id: string;
  host: string;
  card: { id: string; title: string; status: string; phase: string | null };
  place: RepoPlace;
  review: ReviewRecord;
  /** commits on the branch not in base, and base commits not in the branch */
  ahead: number;
  behind: number;
  files: ReviewFile[];
  additions: number;
  deletions: number;
  /** the commands that show the diff, for a reviewer agent or a person */
  commands: { diff: string; log: string; show: string };
}

export interface WorktreeView {
  repo: string;
  path: string;
  branch: string;
  /** the card it belongs to (null for a fleet/ branch whose card is gone) */
  card: string | null;
  card_status: string | null;
  ahead: number;
  behind: number;
  /** the work is in base (so removing it loses nothing) */
  merged: boolean;
  /** uncommitted changes in the worktree */
  dirty: boolean;
  bytes: number;
  /** set when the directory is missing or git cannot read it */
  problem: string | null;
}

export interface PruneResult {
  tenant_id: string;
  host: string;
  dry_run: boolean;
  removed: { path: string; branch: string; why: string }[];
  kept: { path: string; branch: string; why: string }[];
}

/** The branch a repo card is worked on: `fleet/<id>`, with what git refuses in a ref made plain. */
export function cardBranch(cardId: string): string {
  const safe = cardId
    .replace(/[^A-Za-z0-9._-]/g, '-')
    .replace(/\.\.+/g, '.')
    .replace(/^[.-]+/, '')
    .replace(/(\.lock|\.)+$/i, '');
  return `fleet/${safe || 'card'}`;
}

/** The review operations (lib/ops/review.ts): every edge calls these. */
export interface ReviewOps {
  /** cards in review, oldest first, with their diff's files (no patches) */
  list(): Promise<ReviewView[]>;
  /** one card in review (or returned, or merged) with its files and, unless `diff: false`, patches */
  show(input: ReviewShowInput): Promise<ReviewView>;
  /** the one approval: the merge gate merges the card next (unless PAUSE holds it) */
  approve(input: ApproveInput): Promise<ReviewView>;
  /** back to its author with the comment, typed as one verified message with the card */
  requestChanges(input: RequestChangesInput): Promise<ReviewView>;
}

/** The worktree operations (lib/ops/worktrees.ts). */
export interface WorktreeOps {
  list(): Promise<{ tenant_id: string; host: string; worktrees: WorktreeView[] }>;
  /** remove merged or empty worktrees (and their branches); never one with unmerged commits */
  prune(input: PruneInput): Promise<PruneResult>;
}
