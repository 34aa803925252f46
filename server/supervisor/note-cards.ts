/**
 * The cards of note (blocked, in review, ready after a failed attempt) as the tick's escalation
 * and attention pass both read them: one read of the store, made again only after a write through
 * this fleetd, or after `refreshMs` for what other hosts wrote (docs/architecture.md "Dispatch").
 */
import type { BacklogService } from '@/lib/store/backlog.js';
import type { CardView } from '@/lib/store/contract.js';

export const NOTE_REFRESH_MS = 10_000;

export class CardsOfNote {
  private cached: { writes: number; at: number; cards: Promise<CardView[]> } | null = null;

  constructor(
    private readonly backlog: Pick<BacklogService, 'writes' | 'ofNote'>,
    private readonly refreshMs = NOTE_REFRESH_MS,
    private readonly now: () => number = Date.now,
  ) {}

  get(): Promise<CardView[]> {
    const writes = this.backlog.writes;
    const at = this.now();
    const c = this.cached;
    if (c && c.writes === writes && at - c.at <= this.refreshMs) return c.cards;
    const cards = this.backlog.ofNote();
    // a failed read is not kept: the next caller reads again
    cards.catch(() => {
      if (this.cached?.cards === cards) this.cached = null;
    });
    this.cached = { writes, at, cards };
    return cards;
  }
}
