/**
 * An agent's own history (docs/architecture.md "Operations", the timeline): starts under a new
 * spawn epoch with their reason, takeovers and releases, in `agent_events`; and the facts its
 * timeline reads from the other tables (the card events of the claims it held, the attention
 * items about it). Every row carries tenant_id and host (docs/architecture.md invariant 5).
 */
import { and, asc, desc, eq, gte, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { TimelineAgentEvent, TimelineCardEvent, TimelineItem } from '../timeline/rules.js';
import type { AgentEventInput } from '../timeline/contract.js';
import type { Db } from './db.js';
import { agentEvents, attentionItems, cardEvents, cards } from './schema.js';

/** How far before `since` a claim or takeover is looked for, so a span open across it is whole. */
export const LOOKBACK_MS = 24 * 3_600_000;
/** Cards of one timeline at most: the window is one agent's, so this is a guard, not a page. */
const MAX_CARDS = 500;

export interface TimelineWindow {
  agent: string;
  host: string;
  since: Date;
  until: Date;
}

export class AgentEventStore {
  constructor(
    private readonly db: Db,
    readonly tenantId: string,
    readonly host: string,
  ) {}

  /** `at` is the writer's clock (a late write keeps its place); the host is this fleetd's. */
  async record(e: AgentEventInput): Promise<void> {
    await this.db.insert(agentEvents).values({
      tenantId: this.tenantId,
      host: this.host,
      agent: e.agent,
      kind: e.kind,
      epoch: e.epoch ?? null,
      reason: e.reason ?? null,
      actor: e.actor,
      detail: e.detail ?? {},
      ...(e.at ? { at: new Date(e.at) } : {}),
    });
  }

  /**
   * The agent's own events from LOOKBACK_MS before `since` to `until`, in order, and before that
   * its latest takeover and latest release: a takeover still held from earlier (a pane held for
   * days) is a span open across the whole window.
   */
  async events(w: TimelineWindow): Promise<TimelineAgentEvent[]> {
    const from = new Date(w.since.getTime() - LOOKBACK_MS);
    const agent = and(
      eq(agentEvents.tenantId, this.tenantId),
      eq(agentEvents.host, w.host),
      eq(agentEvents.agent, w.agent),
    );
    const [earlier, inWindow] = await Promise.all([
      this.db
        .selectDistinctOn([agentEvents.kind])
        .from(agentEvents)
        .where(
          and(agent, lt(agentEvents.at, from), inArray(agentEvents.kind, ['takeover', 'released'])),
        )
        .orderBy(agentEvents.kind, desc(agentEvents.at), desc(agentEvents.seq)),
      this.db
        .select()
        .from(agentEvents)
        .where(and(agent, gte(agentEvents.at, from), lte(agentEvents.at, w.until)))
        .orderBy(asc(agentEvents.seq)),
    ]);
    const rows = [...earlier.sort((a, b) => a.seq - b.seq), ...inWindow];
    return rows.map((r) => ({
      seq: r.seq,
      kind: r.kind,
      epoch: r.epoch,
      reason: r.reason,
      actor: r.actor,
      detail: r.detail,
      at: r.at.toISOString(),
    }));
  }

  /**
   * Every event of each card the agent held a claim on in the window (found by its own events,
   * `card_events_agent_idx`, from LOOKBACK_MS before `since`; a claim held longer keeps its
   * latest renewal, docs/architecture.md invariant 12), with the cards' titles.
   */
  async cardHistory(
    w: TimelineWindow,
  ): Promise<{ events: TimelineCardEvent[]; titles: Map<string, string> }> {
    const who = sql`split_part(${cardEvents.actor}, '@', 1)`;
    const touched = await this.db
      .selectDistinct({ id: cardEvents.cardId })
      .from(cardEvents)
      .where(
        and(
          eq(cardEvents.tenantId, this.tenantId),
          eq(who, w.agent),
          gte(cardEvents.at, new Date(w.since.getTime() - LOOKBACK_MS)),
          lte(cardEvents.at, w.until),
        ),
      )
      .limit(MAX_CARDS);
    const ids = touched.map((r) => r.id);
    if (!ids.length) return { events: [], titles: new Map() };
    const [rows, titled] = await Promise.all([
      this.db
        .select()
        .from(cardEvents)
        .where(and(eq(cardEvents.tenantId, this.tenantId), inArray(cardEvents.cardId, ids)))
        .orderBy(asc(cardEvents.seq)),
      this.db
        .select({ id: cards.id, title: cards.title })
        .from(cards)
        .where(and(eq(cards.tenantId, this.tenantId), inArray(cards.id, ids))),
    ]);
    return {
      events: rows.map((r) => ({
        seq: r.seq,
        card_id: r.cardId,
        kind: r.kind,
        actor: r.actor,
        detail: r.detail,
        at: r.at.toISOString(),
      })),
      titles: new Map(titled.map((t) => [t.id, t.title])),
    };
  }

  /** Attention items about the agent on its host that were open at some time in the window. */
  async waits(w: TimelineWindow): Promise<TimelineItem[]> {
    const rows = await this.db
      .select()
      .from(attentionItems)
      .where(
        and(
          eq(attentionItems.tenantId, this.tenantId),
          eq(attentionItems.agent, w.agent),
          eq(attentionItems.host, w.host),
          lte(attentionItems.since, w.until),
          or(isNull(attentionItems.clearedAt), gte(attentionItems.clearedAt, w.since)),
        ),
      )
      .orderBy(asc(attentionItems.since));
    return rows.map((r) => ({
      id: r.id,
      reason: r.reason,
      title: r.title,
      card: r.card,
      since: r.since.toISOString(),
      cleared_at: r.clearedAt ? r.clearedAt.toISOString() : null,
    }));
  }

  /** Retention: agent events older than `before` go (fleetd's history pass). */
  async prune(before: Date): Promise<number> {
    const gone = await this.db
      .delete(agentEvents)
      .where(and(eq(agentEvents.tenantId, this.tenantId), lt(agentEvents.at, before)))
      .returning({ seq: agentEvents.seq });
    return gone.length;
  }
}
