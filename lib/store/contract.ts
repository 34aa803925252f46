/**
 * The backlog's wire contract: request schemas (zod, validated once at fleetd's edge) and the
 * JSON views every response carries. The service, the API, the typed client, the CLI and later
 * the web panel all use these; field names are snake_case like the roster and the JSON output.
 * No drizzle here, so the CLI bundle can import the types without the ORM.
 */
import { z } from 'zod';
import type { ReviewRecord } from '../review/contract.js';
import {
  describeControlChar,
  findControlChar,
  normalizeLineBreaks,
  type Allowed,
} from '../control-chars.js';

export const CARD_STATUS_VALUES = ['ready', 'claimed', 'review', 'blocked', 'done'] as const;
export type CardStatusValue = (typeof CARD_STATUS_VALUES)[number];

/** Card ids appear in prompts, argv and URLs: keep them plain. */
export const CARD_ID_RE = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
export const DEFAULT_TTL_SECONDS = 900;
export const MAX_WAIT_MS = 120_000;

const cardId = z.string().regex(CARD_ID_RE, 'must match ^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$');

/**
 * Card text is typed into an agent's terminal, where a control character acts as a key, and
 * delivery refuses it (lib/send/text.ts): refuse it here, when the card is written, with the
 * same rule (lib/control-chars.ts), so no card is accepted that could never be delivered.
 */
function printable(allowed: Allowed) {
  const what =
    allowed === ''
      ? 'one line of printable text only'
      : 'printable text, line breaks and tabs only';
  return (value: string, ctx: z.RefinementCtx) => {
    const bad = findControlChar(value, allowed);
    if (bad)
      ctx.addIssue({ code: 'custom', message: `contains ${describeControlChar(bad)}; ${what}` });
  };
}
/** a title, a label, a key: one line, no control characters at all */
const oneLine = (max: number) => z.string().trim().min(1).max(max).superRefine(printable(''));
/** a body or a criterion: line breaks (CRLF and CR read as LF) and tabs, nothing else */
const multiLine = () => z.string().overwrite(normalizeLineBreaks).superRefine(printable('\n\t'));

const label = oneLine(200);
/** card fields other schemas reuse (NORTH_STAR.yaml goals become cards: lib/northstar/schema.ts) */
export const cardTitle = oneLine(500);
export const cardBody = multiLine().max(100_000);
export const cardLabel = label;
const actor = label.optional();
const ttl = z
  .int()
  .min(0)
  .max(7 * 24 * 3600);
const spend = z.number().finite().min(0);

export const acceptanceSchema = z.strictObject({
  criteria: z.array(multiLine().min(1).max(2000)).max(100),
  /** one command line, split into argv (server/supervisor/check.ts) */
  check: z.string().min(1).max(4000).superRefine(printable('')).optional(),
});

/** a roster repository's name (lib/roster/schema.ts `repos`) */
const repoName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'a repository name from the roster');
/** a branch name; git's own rules are checked against the repository when the card is worked */
const branchName = oneLine(200);
/** path globs inside the repository (docs/review.md "Paths") */
const pathGlobs = z.array(oneLine(500)).max(100);

export const createCardInput = z.strictObject({
  id: cardId.optional(),
  title: cardTitle,
  body: cardBody.optional(),
  phase: label.optional(),
  priority: z.int().min(-1_000_000).max(1_000_000).optional(),
  assignee_class: label.optional(),
  depends_on: z.array(cardId).max(1000).optional(),
  acceptance: acceptanceSchema.optional(),
  max_attempts: z.int().min(1).max(10_000).optional(),
  idempotency_key: z.string().min(1).max(500).superRefine(printable('')).optional(),
  projected_spend: spend.optional(),
  /** absent: the roster's default_repo, if any; null: a plain card */
  repo: repoName.nullable().optional(),
  base: branchName.optional(),
  paths: pathGlobs.optional(),
  actor,
});

export const cardRef = z.strictObject({ id: cardId });

export const listCardsInput = z.strictObject({
  status: z.enum(CARD_STATUS_VALUES).optional(),
  phase: label.optional(),
  class: label.optional(),
  ready_only: z.boolean().optional(),
  /** only cards whose last attempt failed (an error is recorded on them) */
  failed_only: z.boolean().optional(),
  limit: z.int().min(1).max(10_000).optional(),
});

export const claimInput = z.strictObject({
  owner: label,
  ttl_seconds: ttl.optional(),
  id: cardId.optional(),
  /** only cards for this assignee class, or with none set */
  class: label.optional(),
});

const fenced = { id: cardId, owner: label, fence: z.int().min(1) };

export const renewInput = z.strictObject({ ...fenced, ttl_seconds: ttl.optional() });
export const completeInput = z.strictObject({ ...fenced, actual_spend: spend.optional() });
export const failInput = z.strictObject({ ...fenced, reason: z.string().trim().min(1).max(4000) });
export const reclaimInput = z.strictObject({
  id: cardId.optional(),
  actor,
  /** where the card stood when it was put back (a drain's checkpoint), kept on its event */
  note: z.string().trim().min(1).max(4000).optional(),
});
export const linkInput = z.strictObject({ id: cardId, depends_on: cardId, actor });
export const blockInput = z.strictObject({
  id: cardId,
  reason: z.string().trim().min(1).max(4000),
  actor,
});
export const unblockInput = z.strictObject({ id: cardId, actor });
export const moveInput = z.strictObject({
  id: cardId,
  to: z.enum(CARD_STATUS_VALUES),
  reason: z.string().trim().min(1).max(4000).optional(),
  actor,
});

export const updateCardInput = z.strictObject({
  id: cardId,
  title: cardTitle.optional(),
  body: cardBody.optional(),
  phase: label.nullable().optional(),
  priority: z.int().min(-1_000_000).max(1_000_000).optional(),
  assignee_class: label.nullable().optional(),
  acceptance: acceptanceSchema.optional(),
  max_attempts: z.int().min(1).max(10_000).optional(),
  projected_spend: spend.nullable().optional(),
  actual_spend: spend.nullable().optional(),
  repo: repoName.nullable().optional(),
  base: branchName.nullable().optional(),
  paths: pathGlobs.optional(),
  actor,
});

export const eventsInput = z.strictObject({
  id: cardId.optional(),
  after_seq: z.int().min(0).optional(),
  /** only events at or after this time (ISO 8601) */
  since: z.iso.datetime({ offset: true }).optional(),
  limit: z.int().min(1).max(10_000).optional(),
});

export const waitInput = z.strictObject({
  timeout_ms: z.int().min(0).max(MAX_WAIT_MS),
  class: label.optional(),
});

export type CreateCardInput = z.infer<typeof createCardInput>;
export type ListCardsInput = z.infer<typeof listCardsInput>;
export type ClaimInput = z.infer<typeof claimInput>;
export type RenewInput = z.infer<typeof renewInput>;
export type CompleteInput = z.infer<typeof completeInput>;
export type FailInput = z.infer<typeof failInput>;
export type ReclaimInput = z.infer<typeof reclaimInput>;
export type LinkInput = z.infer<typeof linkInput>;
export type BlockInput = z.infer<typeof blockInput>;
export type UnblockInput = z.infer<typeof unblockInput>;
export type MoveInput = z.infer<typeof moveInput>;
export type UpdateCardInput = z.infer<typeof updateCardInput>;
export type EventsInput = z.infer<typeof eventsInput>;
export type WaitInput = z.infer<typeof waitInput>;
export type Acceptance = z.infer<typeof acceptanceSchema>;

/** Who answered: every response and record carries these (docs/architecture.md invariant 5). */
export interface Identity {
  tenant_id: string;
  host: string;
}

export interface CardView extends Identity {
  id: string;
  title: string;
  body: string;
  phase: string | null;
  priority: number;
  status: CardStatusValue;
  status_changed_at: string;
  assignee_class: string | null;
  depends_on: string[];
  /** dependencies not done yet: the card cannot be claimed while this is non-empty */
  waiting_on: string[];
  claim_owner: string | null;
  claim_host: string | null;
  claimed_at: string | null;
  lease_expires_at: string | null;
  fence: number;
  attempts: number;
  max_attempts: number;
  idempotency_key: string | null;
  acceptance: Acceptance;
  projected_spend: number | null;
  actual_spend: number | null;
  blocked_reason: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  done_at: string | null;
  /** a repository card (docs/review.md); null for plain cards (or the roster's default repo) */
  repo: string | null;
  base: string | null;
  paths: string[];
  /** only this agent takes the card (its author, when it comes back from review) */
  assignee: string | null;
  /** the review record once the card first reached review (lib/review/contract.ts) */
  review: ReviewRecord | null;
  /** why a ready card waits (its paths overlap a card in progress in the same repo) */
  wait_reason: string | null;
}

export interface CardEventView extends Identity {
  seq: number;
  card_id: string;
  kind: string;
  actor: string;
  detail: Record<string, unknown>;
  at: string;
}

export interface CreateResult {
  card: CardView;
  /** false when the idempotency key matched an existing card, which is returned unchanged */
  created: boolean;
}

export interface ReclaimedCard {
  id: string;
  fence: number;
  previous_owner: string | null;
  status: CardStatusValue;
}

export interface BacklogStats extends Identity {
  counts: Record<CardStatusValue, number>;
  total: number;
  /** ready with every dependency done */
  ready_eligible: number;
  oldest_ready_age_seconds: number | null;
  expired_claims: number;
}

export interface WaitResult {
  ready: boolean;
  ready_eligible: number;
}

export const statsInput = z.strictObject({});
