/**
 * The backlog of record: one service over the store, used in-process by fleetd (its API, later
 * its supervisor and web panel). Tenant and host are fixed per instance, so every record it
 * writes and every view it returns carries them (docs/architecture.md invariant 5).
 */
import type {
  BacklogStats,
  BlockInput,
  CardEventView,
  CardView,
  ClaimInput,
  CompleteInput,
  CreateCardInput,
  CreateResult,
  EventsInput,
  FailInput,
  Identity,
  LinkInput,
  ListCardsInput,
  MoveInput,
  ReclaimedCard,
  ReclaimInput,
  RenewInput,
  UnblockInput,
  UpdateCardInput,
  WaitInput,
  WaitResult,
} from './contract.js';
import { FleetError } from '../errors.js';
import {
  createCard,
  findByIdempotencyKey,
  listCards,
  cardsOfNote,
  dispatchRows,
  type DispatchRow,
  listEvents,
  showCard,
  updateCard,
} from './cards.js';
import { claimCard, completeCard, failCard, reclaimCards, renewClaim } from './claims.js';
import type { StoreContext } from './context.js';
import { linkCards, unlinkCards } from './links.js';
import { cardView, findCard } from './view.js';
import { backlogStats, waitReady } from './stats.js';
import { blockCard, moveCard, unblockCard } from './status.js';
import { mergedCard, returnCard, setReview, setWaitReason, submitCard } from './review.js';
import type { CardEventKind } from './schema.js';
import type { ReviewRecord } from '../review/contract.js';

/**
 * What a completion becomes: done (null), a failed attempt with the reason (the card goes back),
 * or, for a repository card, review with its record (docs/review.md).
 */
export type CompletionVerdict = null | { fail: string } | { review: ReviewRecord };

/** Runs before a completion counts (the supervisor's acceptance check and review routing). */
export type CompletionGuard = (
  card: CardView,
  input: CompleteInput,
  backlog: BacklogService,
) => Promise<CompletionVerdict>;

export interface BacklogHooks {
  /** checks a completion before it counts (fleetd's acceptance check); absent, none is checked */
  completionGuard?: CompletionGuard;
  /** the roster's repositories: a card may name only these, and gets `default` when it names none */
  repos?: () => { names: readonly string[]; default: string | null } | undefined;
}

const one = (c: CardView): readonly string[] => [c.id];

export class BacklogService {
  private readonly settled = new Set<(card: CardView) => void>();
  private readonly changed = new Set<(ids: readonly string[]) => void>();

  constructor(
    private readonly ctx: StoreContext,
    private readonly hooks: BacklogHooks = {},
  ) {}

  /** Be told after a completion or failure commits (an agent just became free); returns an unsubscribe. */
  onSettled(listener: (card: CardView) => void): () => void {
    this.settled.add(listener);
    return () => this.settled.delete(listener);
  }

  private emitSettled(card: CardView): void {
    this.emitChanged([card.id]);
    for (const l of this.settled) l(card);
  }

  /**
   * Be told after any mutation of cards commits through this service (the panel's push channel,
   * docs/api.md "Events"), with the ids it touched; a renewal is not a change the panel shows.
   */
  onChanged(listener: (ids: readonly string[]) => void): () => void {
    this.changed.add(listener);
    return () => this.changed.delete(listener);
  }

  private emitChanged(ids: readonly string[]): void {
    if (!ids.length) return;
    for (const l of this.changed) l(ids);
  }

  /** Run a mutation and tell the change listeners which cards it touched. */
  private async touching<T>(p: Promise<T>, ids: (r: T) => readonly string[]): Promise<T> {
    const r = await p;
    this.emitChanged(ids(r));
    return r;
  }

  get identity(): Identity {
    return { tenant_id: this.ctx.tenantId, host: this.ctx.host };
  }

  /** mutations committed through this service since it started */
  get writes(): number {
    return this.ctx.writes.count;
  }

  create(input: CreateCardInput): Promise<CreateResult> {
    return this.touching(this.createCard(input), (r) => (r.created ? [r.card.id] : []));
  }
  private createCard(input: CreateCardInput): Promise<CreateResult> {
    const repos = this.hooks.repos?.();
    if (!repos) return createCard(this.ctx, input);
    if (input.repo === undefined)
      return createCard(this.ctx, repos.default ? { ...input, repo: repos.default } : input);
    if (input.repo !== null && !repos.names.includes(input.repo))
      throw new FleetError(
        'USAGE',
        `repo "${input.repo}" is not in the roster's repos (${repos.names.join(', ') || 'none declared'})`,
      );
    return createCard(this.ctx, input);
  }
  show(id: string): Promise<{ card: CardView; events: CardEventView[] }> {
    return showCard(this.ctx, id);
  }
  list(input: ListCardsInput = {}): Promise<CardView[]> {
    return listCards(this.ctx, input);
  }
  /** Blocked cards, cards in review and ready cards whose last attempt failed, in one read. */
  ofNote(): Promise<CardView[]> {
    return cardsOfNote(this.ctx);
  }
  /** The ready cards a claim could take now, as a dispatch pass plans with them. */
  readyToDispatch(): Promise<DispatchRow[]> {
    return dispatchRows(this.ctx, 'ready');
  }
  /** The cards in progress (claimed anywhere, or in review), as a dispatch pass weighs them. */
  inProgress(): Promise<DispatchRow[]> {
    return dispatchRows(this.ctx, 'active');
  }
  events(input: EventsInput = {}): Promise<CardEventView[]> {
    return listEvents(this.ctx, input);
  }
  update(input: UpdateCardInput): Promise<CardView> {
    return this.touching(updateCard(this.ctx, input), one);
  }
  /** The highest-priority eligible card (or `id`), or null when none can be claimed now. */
  claim(input: ClaimInput): Promise<CardView | null> {
    return this.touching(claimCard(this.ctx, input), (c) => (c ? [c.id] : []));
  }
  renew(input: RenewInput): Promise<CardView> {
    return renewClaim(this.ctx, input);
  }
  async complete(input: CompleteInput): Promise<CardView> {
    const guard = this.hooks.completionGuard;
    if (guard) {
      // one row read on the busiest path (no deps, no events); a missing card is refused below
      const row = await findCard(this.ctx.db, this.ctx.tenantId, input.id);
      const card = row ? cardView(row) : null;
      // only the current holder's completion is checked; anyone else is refused by the fence below
      if (
        card &&
        card.status === 'claimed' &&
        card.claim_owner === input.owner &&
        card.fence === input.fence
      ) {
        const verdict = await guard(card, input, this);
        if (verdict && 'fail' in verdict) {
          const failed = await failCard(this.ctx, {
            id: input.id,
            owner: input.owner,
            fence: input.fence,
            reason: verdict.fail,
          });
          this.emitSettled(failed);
          throw new FleetError('CONFLICT', `card ${input.id} is not done: ${verdict.fail}`);
        }
        if (verdict) {
          const submitted = await submitCard(this.ctx, input, verdict.review);
          this.emitSettled(submitted);
          return submitted;
        }
      }
    }
    const done = await completeCard(this.ctx, input);
    this.emitSettled(done);
    return done;
  }
  async fail(input: FailInput): Promise<CardView> {
    const card = await failCard(this.ctx, input);
    this.emitSettled(card);
    return card;
  }
  reclaim(input: ReclaimInput = {}): Promise<ReclaimedCard[]> {
    return this.touching(reclaimCards(this.ctx, input), (r) => r.map((c) => c.id));
  }
  link(input: LinkInput): Promise<CardView> {
    return this.touching(linkCards(this.ctx, input), one);
  }
  unlink(input: LinkInput): Promise<CardView> {
    return this.touching(unlinkCards(this.ctx, input), one);
  }
  block(input: BlockInput): Promise<CardView> {
    return this.touching(blockCard(this.ctx, input), one);
  }
  unblock(input: UnblockInput): Promise<CardView> {
    return this.touching(unblockCard(this.ctx, input), one);
  }
  move(input: MoveInput): Promise<CardView> {
    return this.touching(moveCard(this.ctx, input), one);
  }
  /** a card in review: record an answer that keeps it there (approval) */
  setReview(
    id: string,
    update: (cur: ReviewRecord) => ReviewRecord,
    event: { kind: CardEventKind; actor: string; detail: Record<string, unknown> },
  ): Promise<CardView> {
    return this.touching(setReview(this.ctx, id, update, event), one);
  }
  /** a card in review back to its author (requested changes, a conflict, a failed check) */
  returnToAuthor(
    id: string,
    update: (cur: ReviewRecord) => ReviewRecord,
    event: { actor: string; detail: Record<string, unknown> },
  ): Promise<CardView> {
    return this.touching(returnCard(this.ctx, id, update, event), one);
  }
  /** the merge gate landed a card in review: done */
  merged(
    id: string,
    update: (cur: ReviewRecord) => ReviewRecord,
    detail: Record<string, unknown>,
  ): Promise<CardView> {
    return this.touching(mergedCard(this.ctx, id, update, detail), one);
  }
  setWaitReason(id: string, reason: string | null): Promise<void> {
    return this.touching(setWaitReason(this.ctx, id, reason), () => [id]);
  }
  /** the card created with this idempotency key, if any */
  async byKey(key: string): Promise<CardView | null> {
    return (await findByIdempotencyKey(this.ctx, key))?.card ?? null;
  }
  stats(): Promise<BacklogStats> {
    return backlogStats(this.ctx);
  }
  wait(input: WaitInput, abort?: AbortSignal): Promise<WaitResult> {
    return waitReady(this.ctx, input, abort);
  }
}
