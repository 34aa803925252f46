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
import { createCard, listCards, listEvents, showCard, updateCard } from './cards.js';
import { claimCard, completeCard, failCard, reclaimCards, renewClaim } from './claims.js';
import type { StoreContext } from './context.js';
import { linkCards, unlinkCards } from './links.js';
import { cardView, findCard } from './view.js';
import { backlogStats, waitReady } from './stats.js';
import { blockCard, moveCard, unblockCard } from './status.js';

/**
 * Runs before a completion counts (the supervisor's acceptance check). Returns null to let it
 * through, or the reason it failed: the card then goes back as a failed attempt with that reason.
 */
export type CompletionGuard = (card: CardView, input: CompleteInput) => Promise<string | null>;

export interface BacklogHooks {
  /** checks a completion before it counts (fleetd's acceptance check); absent, none is checked */
  completionGuard?: CompletionGuard;
}

export class BacklogService {
  private readonly settled = new Set<(card: CardView) => void>();

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
    for (const l of this.settled) l(card);
  }

  get identity(): Identity {
    return { tenant_id: this.ctx.tenantId, host: this.ctx.host };
  }

  /** mutations committed through this service since it started */
  get writes(): number {
    return this.ctx.writes.count;
  }

  create(input: CreateCardInput): Promise<CreateResult> {
    return createCard(this.ctx, input);
  }
  show(id: string): Promise<{ card: CardView; events: CardEventView[] }> {
    return showCard(this.ctx, id);
  }
  list(input: ListCardsInput = {}): Promise<CardView[]> {
    return listCards(this.ctx, input);
  }
  events(input: EventsInput = {}): Promise<CardEventView[]> {
    return listEvents(this.ctx, input);
  }
  update(input: UpdateCardInput): Promise<CardView> {
    return updateCard(this.ctx, input);
  }
  /** The highest-priority eligible card (or `id`), or null when none can be claimed now. */
  claim(input: ClaimInput): Promise<CardView | null> {
    return claimCard(this.ctx, input);
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
        const reason = await guard(card, input);
        if (reason) {
          await failCard(this.ctx, {
            id: input.id,
            owner: input.owner,
            fence: input.fence,
            reason,
          });
          throw new FleetError('CONFLICT', `card ${input.id} is not done: ${reason}`);
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
    return reclaimCards(this.ctx, input);
  }
  link(input: LinkInput): Promise<CardView> {
    return linkCards(this.ctx, input);
  }
  unlink(input: LinkInput): Promise<CardView> {
    return unlinkCards(this.ctx, input);
  }
  block(input: BlockInput): Promise<CardView> {
    return blockCard(this.ctx, input);
  }
  unblock(input: UnblockInput): Promise<CardView> {
    return unblockCard(this.ctx, input);
  }
  move(input: MoveInput): Promise<CardView> {
    return moveCard(this.ctx, input);
  }
  stats(): Promise<BacklogStats> {
    return backlogStats(this.ctx);
  }
  wait(input: WaitInput, abort?: AbortSignal): Promise<WaitResult> {
    return waitReady(this.ctx, input, abort);
  }
}
