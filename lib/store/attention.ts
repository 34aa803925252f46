/**
 * The attention inbox and the notification outbox in the store (docs/attention.md). Items are
 * raised and cleared by one host's fleetd from the facts it gathers (`sync`); acknowledgements
 * and notifications survive a fleetd restart because they live here, not in memory.
 */
import { randomBytes } from 'node:crypto';
import {
  and,
  asc,
  count,
  desc,
  eq,
  gte,
  inArray,
  isNotNull,
  isNull,
  lt,
  lte,
  sql,
} from 'drizzle-orm';
import type {
  AttentionAction,
  AttentionFact,
  AttentionItem,
  AttentionReason,
} from '../attention/types.js';
import { FleetError } from '../errors.js';
import type { Db } from './db.js';
import {
  attentionItems,
  notifications,
  type AttentionRow,
  type NotificationRow,
} from './schema.js';

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/** Short, unguessable, readable in a chat line: `a-` and 10 base32 characters. */
export function newItemId(prefix = 'a'): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyz23456789';
  const bytes = randomBytes(10);
  let s = '';
  for (const b of bytes) s += alphabet[b % alphabet.length];
  return `${prefix}-${s}`;
}

function itemView(r: AttentionRow): AttentionItem {
  return {
    tenant_id: r.tenantId,
    host: r.host,
    id: r.id,
    key: r.key,
    reason: r.reason as AttentionReason,
    agent: r.agent,
    card: r.card,
    title: r.title,
    evidence: r.evidence,
    link: r.link,
    actions: (r.actions.list ?? []) as AttentionAction[],
    reset_at: iso(r.resetAt),
    since: r.since.toISOString(),
    updated_at: r.updatedAt.toISOString(),
    acked_at: iso(r.ackedAt),
    acked_by: r.ackedBy,
    cleared_at: iso(r.clearedAt),
  };
}

export interface SyncResult {
  raised: AttentionItem[];
  cleared: AttentionItem[];
  open: AttentionItem[];
}

export interface NotificationView {
  id: string;
  item_id: string | null;
  connector: string;
  text: string;
  link: string | null;
  thread_id: string | null;
  attempts: number;
  next_attempt_at: string;
  delivered_at: string | null;
  message_id: string | null;
  last_error: string | null;
  created_at: string;
}

function notificationView(r: NotificationRow): NotificationView {
  return {
    id: r.id,
    item_id: r.itemId,
    connector: r.connector,
    text: r.text,
    link: r.link,
    thread_id: r.threadId,
    attempts: r.attempts,
    next_attempt_at: r.nextAttemptAt.toISOString(),
    delivered_at: iso(r.deliveredAt),
    message_id: r.messageId,
    last_error: r.lastError,
    created_at: r.createdAt.toISOString(),
  };
}

export interface EnqueueInput {
  itemId: string | null;
  connector: string;
  text: string;
  link?: string | null;
  threadId?: string | null;
}

export class AttentionStore {
  constructor(
    private readonly db: Db,
    readonly tenantId: string,
    readonly host: string,
    /** after an item was raised, refreshed, cleared or acknowledged (the panel's push channel) */
    private readonly onChange: () => void = () => undefined,
  ) {}

  private openWhere() {
    return and(
      eq(attentionItems.tenantId, this.tenantId),
      eq(attentionItems.host, this.host),
      isNull(attentionItems.clearedAt),
    );
  }

  /**
   * Make the open items of this host exactly `facts`: a new key is raised (a new id, `since`
   * now), a known key is refreshed (title, evidence, actions; acknowledgement kept), a key no
   * longer among the facts is cleared. One transaction, so a reader never sees half a sync.
   */
  async sync(facts: readonly AttentionFact[], now = new Date()): Promise<SyncResult> {
    let refreshed = 0;
    const r = await this.db.transaction(async (tx) => {
      refreshed = 0;
      const open = await tx.select().from(attentionItems).where(this.openWhere());
      const byKey = new Map(open.map((r) => [r.key, r]));
      const wanted = new Map(facts.map((f) => [f.key, f]));
      const raised: AttentionItem[] = [];
      const cleared: AttentionItem[] = [];
      const kept: AttentionItem[] = [];
      for (const [key, f] of wanted) {
        const row = byKey.get(key);
        const fields = {
          reason: f.reason,
          agent: f.agent,
          card: f.card,
          title: f.title,
          evidence: f.evidence,
          link: f.link,
          actions: { list: [...f.actions] },
          resetAt: f.reset_at ? new Date(f.reset_at) : null,
        };
        if (!row) {
          const [r] = await tx
            .insert(attentionItems)
            .values({
              tenantId: this.tenantId,
              host: this.host,
              id: newItemId(),
              key,
              ...fields,
              since: now,
              updatedAt: now,
            })
            .returning();
          raised.push(itemView(r!));
          continue;
        }
        const changed =
          row.title !== f.title ||
          row.evidence !== f.evidence ||
          row.link !== f.link ||
          (row.actions.list ?? []).join() !== f.actions.join() ||
          iso(row.resetAt) !== (f.reset_at ? new Date(f.reset_at).toISOString() : null) ||
          row.agent !== f.agent ||
          row.card !== f.card;
        if (!changed) {
          kept.push(itemView(row));
          continue;
        }
        refreshed++;
        const [r] = await tx
          .update(attentionItems)
          .set({ ...fields, updatedAt: now })
          .where(and(eq(attentionItems.tenantId, this.tenantId), eq(attentionItems.id, row.id)))
          .returning();
        kept.push(itemView(r!));
      }
      const gone = open.filter((r) => !wanted.has(r.key)).map((r) => r.id);
      if (gone.length) {
        const rows = await tx
          .update(attentionItems)
          .set({ clearedAt: now, updatedAt: now })
          .where(and(eq(attentionItems.tenantId, this.tenantId), inArray(attentionItems.id, gone)))
          .returning();
        cleared.push(...rows.map(itemView));
      }
      return { raised, cleared, open: [...raised, ...kept] };
    });
    if (r.raised.length || r.cleared.length || refreshed) this.onChange();
    return r;
  }

  /** Open items of every host of this tenant, newest first. */
  async listOpen(limit = 500): Promise<AttentionItem[]> {
    const rows = await this.db
      .select()
      .from(attentionItems)
      .where(and(eq(attentionItems.tenantId, this.tenantId), isNull(attentionItems.clearedAt)))
      .orderBy(desc(attentionItems.since), desc(attentionItems.id))
      .limit(limit);
    return rows.map(itemView);
  }

  async get(id: string): Promise<AttentionItem | null> {
    const [row] = await this.db
      .select()
      .from(attentionItems)
      .where(and(eq(attentionItems.tenantId, this.tenantId), eq(attentionItems.id, id)))
      .limit(1);
    return row ? itemView(row) : null;
  }

  /** An item by id, or a NOT_FOUND naming it. */
  async require(id: string): Promise<AttentionItem> {
    const item = await this.get(id);
    if (!item) throw new FleetError('NOT_FOUND', `no inbox item ${id}`);
    return item;
  }

  /** Acknowledge an open item (idempotent: a second ack keeps the first one's who and when). */
  async ack(id: string, by: string, now = new Date()): Promise<AttentionItem> {
    const item = await this.require(id);
    if (item.acked_at) return item;
    const [row] = await this.db
      .update(attentionItems)
      .set({ ackedAt: now, ackedBy: by, updatedAt: now })
      .where(
        and(
          eq(attentionItems.tenantId, this.tenantId),
          eq(attentionItems.id, id),
          isNull(attentionItems.ackedAt),
        ),
      )
      .returning();
    if (!row) return this.require(id);
    this.onChange();
    return itemView(row);
  }

  /** Items raised since `since` (any state), newest first. */
  async raisedSince(since: Date, limit = 200): Promise<AttentionItem[]> {
    const rows = await this.db
      .select()
      .from(attentionItems)
      .where(and(eq(attentionItems.tenantId, this.tenantId), gte(attentionItems.since, since)))
      .orderBy(desc(attentionItems.since))
      .limit(limit);
    return rows.map(itemView);
  }

  async clearedSince(since: Date): Promise<number> {
    const [r] = await this.db
      .select({ n: count() })
      .from(attentionItems)
      .where(and(eq(attentionItems.tenantId, this.tenantId), gte(attentionItems.clearedAt, since)));
    return r?.n ?? 0;
  }

  /**
   * Retention (docs/attention.md "Items"): cleared items older than `before` go, with nothing
   * else; an open item stays however old. Returns how many went.
   */
  async pruneCleared(before: Date): Promise<number> {
    const gone = await this.db
      .delete(attentionItems)
      .where(
        and(
          eq(attentionItems.tenantId, this.tenantId),
          isNotNull(attentionItems.clearedAt),
          lt(attentionItems.clearedAt, before),
        ),
      )
      .returning({ id: attentionItems.id });
    return gone.length;
  }

  /**
   * When the same fact (key and evidence: a prompt that flickers, not a new prompt) was last
   * notified to `connector`, for de-duplication.
   */
  async lastNotified(key: string, evidence: string, connector: string): Promise<Date | null> {
    const [r] = await this.db
      .select({ at: sql<Date | null>`max(${notifications.createdAt})` })
      .from(notifications)
      .innerJoin(
        attentionItems,
        and(
          eq(attentionItems.tenantId, notifications.tenantId),
          eq(attentionItems.id, notifications.itemId),
        ),
      )
      .where(
        and(
          eq(notifications.tenantId, this.tenantId),
          eq(notifications.connector, connector),
          eq(attentionItems.key, key),
          eq(attentionItems.evidence, evidence),
        ),
      );
    const at = r?.at ?? null;
    return at ? new Date(at) : null;
  }

  // ---- the outbox ---------------------------------------------------------------------------

  /** Keep a message for a connector until it is delivered; one per item and connector. */
  async enqueue(input: EnqueueInput, now = new Date()): Promise<NotificationView | null> {
    const rows = await this.db
      .insert(notifications)
      .values({
        tenantId: this.tenantId,
        host: this.host,
        id: newItemId('n'),
        itemId: input.itemId,
        connector: input.connector,
        text: input.text,
        link: input.link ?? null,
        threadId: input.threadId ?? null,
        nextAttemptAt: now,
        createdAt: now,
      })
      .onConflictDoNothing()
      .returning();
    return rows[0] ? notificationView(rows[0]) : null;
  }

  /** This host's outbox rows, for one connector or all of them. */
  private outboxOf(connector?: string) {
    return [
      eq(notifications.tenantId, this.tenantId),
      eq(notifications.host, this.host),
      ...(connector ? [eq(notifications.connector, connector)] : []),
    ];
  }

  /** Undelivered messages of this host for `connector` whose next attempt is due, oldest first. */
  async due(connector: string, now = new Date(), limit = 20): Promise<NotificationView[]> {
    const rows = await this.db
      .select()
      .from(notifications)
      .where(
        and(
          ...this.outboxOf(connector),
          isNull(notifications.deliveredAt),
          lte(notifications.nextAttemptAt, now),
        ),
      )
      .orderBy(asc(notifications.createdAt), asc(notifications.id))
      .limit(limit);
    return rows.map(notificationView);
  }

  async pending(connector?: string): Promise<NotificationView[]> {
    const rows = await this.db
      .select()
      .from(notifications)
      .where(and(...this.outboxOf(connector), isNull(notifications.deliveredAt)))
      .orderBy(asc(notifications.createdAt));
    return rows.map(notificationView);
  }

  /** Messages delivered to `connector` since `since` (the rate limit's window). */
  async deliveredSince(connector: string, since: Date): Promise<number> {
    const [r] = await this.db
      .select({ n: count() })
      .from(notifications)
      .where(
        and(
          ...this.outboxOf(connector),
          isNotNull(notifications.deliveredAt),
          gte(notifications.deliveredAt, since),
        ),
      );
    return r?.n ?? 0;
  }

  async delivered(id: string, messageId: string | null, now = new Date()): Promise<void> {
    await this.db
      .update(notifications)
      .set({
        deliveredAt: now,
        messageId,
        attempts: sql`${notifications.attempts} + 1`,
        lastError: null,
      })
      .where(and(eq(notifications.tenantId, this.tenantId), eq(notifications.id, id)));
  }

  async attemptFailed(id: string, error: string, nextAttemptAt: Date): Promise<void> {
    await this.db
      .update(notifications)
      .set({
        attempts: sql`${notifications.attempts} + 1`,
        lastError: error.slice(0, 500),
        nextAttemptAt,
      })
      .where(and(eq(notifications.tenantId, this.tenantId), eq(notifications.id, id)));
  }
}
