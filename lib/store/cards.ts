/** Creating, reading and editing cards. */
import { randomBytes } from 'node:crypto';
import { and, asc, desc, eq, gt, gte, inArray, isNotNull, or, sql, type SQL } from 'drizzle-orm';
import type {
  CardEventView,
  CardView,
  CreateCardInput,
  CreateResult,
  EventsInput,
  ListCardsInput,
  UpdateCardInput,
} from './contract.js';
import { mutate, notifySql, recordEvent, single, type StoreContext } from './context.js';
import { missingIds } from './dag.js';
import type { Executor } from './db.js';
import { CardExists, CardNotFound, DependencyCycle } from './errors.js';
import { CARD_ORDER, readyNow } from './queries.js';
import { cardDeps, cardEvents, cards } from './schema.js';
import { fromRaw, textArray } from './raw.js';
import { cardView, cardViews, eventView, findCard, oneCardView } from './view.js';

/** A short random id for cards created without one, e.g. `c-k3v9q2m7xa`. */
function newCardId(): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyz23456789';
  return 'c-' + [...randomBytes(10)].map((b) => alphabet[b % alphabet.length]).join('');
}

async function byIdempotencyKey(
  ex: Executor,
  ctx: StoreContext,
  key: string,
): Promise<CreateResult | null> {
  const [row] = await ex
    .select()
    .from(cards)
    .where(and(eq(cards.tenantId, ctx.tenantId), eq(cards.idempotencyKey, key)))
    .limit(1);
  return row ? { card: await oneCardView(ex, row), created: false } : null;
}

type RawRow = Record<string, unknown>;

/** A foreign-key violation: the only way the insert below fails for a missing dependency. */
function isForeignKeyViolation(e: unknown): boolean {
  for (let cur: unknown = e; cur; cur = (cur as { cause?: unknown }).cause) {
    if ((cur as { code?: unknown }).code === '23503') return true;
  }
  return false;
}

async function missingDeps(ctx: StoreContext, deps: string[]): Promise<string[]> {
  const found = await ctx.db
    .select({ id: cards.id })
    .from(cards)
    .where(and(eq(cards.tenantId, ctx.tenantId), inArray(cards.id, deps)));
  return missingIds(deps, new Set(found.map((f) => f.id)));
}

/**
 * One statement inserts the card, its dependency edges and its `created` event, and returns it
 * with its dependencies; a missing dependency fails the whole statement on the foreign key.
 */
export async function createCard(ctx: StoreContext, input: CreateCardInput): Promise<CreateResult> {
  const key = input.idempotency_key ?? null;
  if (key) {
    const existing = await byIdempotencyKey(ctx.db, ctx, key);
    if (existing) return existing;
  }
  const id = input.id ?? newCardId();
  const deps = [...new Set(input.depends_on ?? [])];
  if (deps.includes(id)) throw new DependencyCycle([id, id]);
  const detail = {
    title: input.title,
    priority: input.priority ?? 0,
    depends_on: deps,
    ...(key ? { idempotency_key: key } : {}),
    ...(input.repo ? { repo: input.repo } : {}),
  };
  // one array parameter (drizzle would expand a bare JS array into a list)
  const depsParam = sql.param(deps);
  let rows: RawRow[];
  try {
    ({ rows } = await single(
      ctx,
      () => true,
      () =>
        ctx.db.execute<RawRow>(sql`
        with inserted as (
          insert into ${cards} (tenant_id, id, title, body, phase, priority, assignee_class, acceptance,
            max_attempts, idempotency_key, projected_spend, repo, base, paths, host)
          values (${ctx.tenantId}, ${id}, ${input.title}, ${input.body ?? ''}, ${input.phase ?? null},
            ${input.priority ?? 0}, ${input.assignee_class ?? null},
            ${JSON.stringify(input.acceptance ?? { criteria: [] })}::jsonb, ${input.max_attempts ?? 3}, ${key},
            ${input.projected_spend ?? null}, ${input.repo ?? null}, ${input.base ?? null},
            ${JSON.stringify({ globs: input.paths ?? [] })}::jsonb, ${ctx.host})
          on conflict do nothing
          returning *
        ), edges as (
          insert into ${cardDeps} (tenant_id, card_id, depends_on_id, host)
          select inserted.tenant_id, inserted.id, dep, ${ctx.host} from inserted, unnest(${depsParam}::text[]) as dep
        ), logged as (
          insert into ${cardEvents} (tenant_id, card_id, kind, actor, host, detail)
          select tenant_id, id, 'created', ${input.actor ?? 'api'}, ${ctx.host}, ${JSON.stringify(detail)}::jsonb
          from inserted
        )
        select inserted.*,
          array(select d from unnest(${depsParam}::text[]) d order by 1) as depends_on,
          array(select p.id from ${cards} p where p.tenant_id = inserted.tenant_id
            and p.id = any(${depsParam}::text[]) and p.status <> 'done' order by 1) as waiting_on
          ${notifySql(ctx)}
        from inserted`),
    ));
  } catch (e) {
    if (!isForeignKeyViolation(e)) throw e;
    const missing = await missingDeps(ctx, deps);
    throw missing.length > 0 ? new CardNotFound(missing) : e;
  }
  const [raw] = rows;
  if (!raw) {
    // the id or the key is taken: by a concurrent create with the same key, or by another card
    const existing = key ? await byIdempotencyKey(ctx.db, ctx, key) : null;
    if (existing) return existing;
    throw new CardExists(id);
  }
  return {
    card: cardView(fromRaw(cards, raw), {
      dependsOn: textArray(raw.depends_on),
      waitingOn: textArray(raw.waiting_on),
    }),
    created: true,
  };
}

export async function showCard(
  ctx: StoreContext,
  id: string,
  eventLimit = 50,
): Promise<{ card: CardView; events: CardEventView[] }> {
  const row = await findCard(ctx.db, ctx.tenantId, id);
  if (!row) throw new CardNotFound(id);
  const events = await ctx.db
    .select()
    .from(cardEvents)
    .where(and(eq(cardEvents.tenantId, ctx.tenantId), eq(cardEvents.cardId, id)))
    .orderBy(desc(cardEvents.seq))
    .limit(eventLimit);
  return { card: await oneCardView(ctx.db, row), events: events.reverse().map(eventView) };
}

/** The tenant's cards that match `where`, in list order, with their dependencies. */
async function cardsWhere(
  ctx: StoreContext,
  where: SQL | undefined,
  limit: number,
): Promise<CardView[]> {
  const rows = await ctx.db
    .select()
    .from(cards)
    .where(and(eq(cards.tenantId, ctx.tenantId), where))
    .orderBy(...CARD_ORDER)
    .limit(limit);
  return cardViews(ctx.db, ctx.tenantId, rows);
}

export function listCards(ctx: StoreContext, input: ListCardsInput): Promise<CardView[]> {
  return cardsWhere(
    ctx,
    and(
      input.status ? eq(cards.status, input.status) : undefined,
      input.phase ? eq(cards.phase, input.phase) : undefined,
      input.class ? eq(cards.assigneeClass, input.class) : undefined,
      input.ready_only ? readyNow(ctx.db) : undefined,
      input.failed_only ? isNotNull(cards.lastError) : undefined,
    ),
    input.limit ?? 1000,
  );
}

/**
 * The cards that may need someone (the inbox and escalation to the orchestrator): blocked, in
 * review, or ready again after a failed attempt, with their dependencies. One statement for what
 * were three lists of at most 1,000 each.
 */
export function cardsOfNote(ctx: StoreContext): Promise<CardView[]> {
  return cardsWhere(
    ctx,
    or(
      inArray(cards.status, ['blocked', 'review']),
      and(eq(cards.status, 'ready'), isNotNull(cards.lastError)),
    ),
    3000,
  );
}

/**
 * A card as a dispatch pass weighs it: what the plan, the claims and the wait notes read, without
 * its text or its dependency lists (a pass runs on every event: docs/architecture.md "Dispatch").
 */
export interface DispatchRow {
  id: string;
  status: CardView['status'];
  priority: number;
  created_at: string;
  assignee_class: string | null;
  assignee: string | null;
  repo: string | null;
  paths: string[];
  wait_reason: string | null;
  claim_owner: string | null;
}

const DISPATCH_COLUMNS = {
  id: cards.id,
  status: cards.status,
  priority: cards.priority,
  createdAt: cards.createdAt,
  assigneeClass: cards.assigneeClass,
  assignee: cards.assignee,
  repo: cards.repo,
  paths: cards.paths,
  waitReason: cards.waitReason,
  claimOwner: cards.claimOwner,
};

/**
 * One statement: the ready cards whose dependencies are all done (`ready`, highest priority
 * first, as many as `list` gives), or the cards in progress, claimed anywhere or in review
 * (`active`).
 */
export async function dispatchRows(
  ctx: StoreContext,
  which: 'ready' | 'active',
): Promise<DispatchRow[]> {
  const base = ctx.db.select(DISPATCH_COLUMNS).from(cards);
  const rows =
    which === 'ready'
      ? await base
          .where(and(eq(cards.tenantId, ctx.tenantId), readyNow(ctx.db)))
          .orderBy(...CARD_ORDER)
          .limit(1000)
      : await base.where(
          and(eq(cards.tenantId, ctx.tenantId), inArray(cards.status, ['claimed', 'review'])),
        );
  return rows.map((r) => ({
    id: r.id,
    status: r.status,
    priority: r.priority,
    created_at: r.createdAt.toISOString(),
    assignee_class: r.assigneeClass,
    assignee: r.assignee,
    repo: r.repo,
    paths: r.paths.globs,
    wait_reason: r.waitReason,
    claim_owner: r.claimOwner,
  }));
}

export async function listEvents(ctx: StoreContext, input: EventsInput): Promise<CardEventView[]> {
  const rows = await ctx.db
    .select()
    .from(cardEvents)
    .where(
      and(
        eq(cardEvents.tenantId, ctx.tenantId),
        input.id ? eq(cardEvents.cardId, input.id) : undefined,
        input.after_seq !== undefined ? gt(cardEvents.seq, input.after_seq) : undefined,
        input.since !== undefined ? gte(cardEvents.at, new Date(input.since)) : undefined,
      ),
    )
    .orderBy(asc(cardEvents.seq))
    .limit(input.limit ?? 1000);
  return rows.map(eventView);
}

const EDITABLE = {
  title: 'title',
  body: 'body',
  phase: 'phase',
  priority: 'priority',
  assignee_class: 'assigneeClass',
  acceptance: 'acceptance',
  max_attempts: 'maxAttempts',
  projected_spend: 'projectedSpend',
  actual_spend: 'actualSpend',
  repo: 'repo',
  base: 'base',
} as const satisfies Record<string, keyof typeof cards.$inferInsert>;

export function updateCard(ctx: StoreContext, input: UpdateCardInput): Promise<CardView> {
  return mutate(ctx, true, async (tx) => {
    const set: Partial<typeof cards.$inferInsert> = {};
    const fields: string[] = [];
    for (const [wire, column] of Object.entries(EDITABLE) as [
      keyof typeof EDITABLE,
      (typeof EDITABLE)[keyof typeof EDITABLE],
    ][]) {
      const value = input[wire];
      if (value === undefined) continue;
      Object.assign(set, { [column]: value });
      fields.push(wire);
    }
    if (input.paths !== undefined) {
      set.paths = { globs: input.paths };
      fields.push('paths');
    }
    const where = and(eq(cards.tenantId, ctx.tenantId), eq(cards.id, input.id));
    if (fields.length === 0) {
      const row = await findCard(tx, ctx.tenantId, input.id);
      if (!row) throw new CardNotFound(input.id);
      return oneCardView(tx, row);
    }
    const [row] = await tx
      .update(cards)
      .set({ ...set, updatedAt: sql`now()` })
      .where(where)
      .returning();
    if (!row) throw new CardNotFound(input.id);
    await recordEvent(tx, ctx, input.id, 'updated', input.actor ?? 'api', { fields });
    return oneCardView(tx, row);
  });
}

/** The card created with this idempotency key, if any. */
export function findByIdempotencyKey(ctx: StoreContext, key: string): Promise<CreateResult | null> {
  return byIdempotencyKey(ctx.db, ctx, key);
}
