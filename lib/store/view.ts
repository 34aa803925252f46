/** Rows to the JSON views of the contract (dates as ISO strings, snake_case names). */
import type { ReviewRecord } from '../review/contract.js';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { CardEventView, CardView } from './contract.js';
import type { Executor } from './db.js';
import { CardNotFound } from './errors.js';
import { cardDeps, cards, type CardEventRow, type CardRow } from './schema.js';

export interface DepInfo {
  dependsOn: string[];
  waitingOn: string[];
}

const target = alias(cards, 'target');
const NO_DEPS: DepInfo = { dependsOn: [], waitingOn: [] };

/** Dependencies of the given cards, with those not done yet. */
export async function loadDeps(
  ex: Executor,
  tenantId: string,
  ids: readonly string[],
): Promise<Map<string, DepInfo>> {
  const out = new Map<string, DepInfo>();
  if (ids.length === 0) return out;
  // For big lists, fetch the tenant's whole edge set rather than a huge IN list.
  const byId = ids.length <= 500 ? inArray(cardDeps.cardId, [...ids]) : undefined;
  const rows = await ex
    .select({ cardId: cardDeps.cardId, dependsOn: cardDeps.dependsOnId, status: target.status })
    .from(cardDeps)
    .innerJoin(
      target,
      and(eq(target.tenantId, cardDeps.tenantId), eq(target.id, cardDeps.dependsOnId)),
    )
    .where(and(eq(cardDeps.tenantId, tenantId), byId))
    .orderBy(asc(cardDeps.cardId), asc(cardDeps.dependsOnId));
  for (const r of rows) {
    let info = out.get(r.cardId);
    if (!info) out.set(r.cardId, (info = { dependsOn: [], waitingOn: [] }));
    info.dependsOn.push(r.dependsOn);
    if (r.status !== 'done') info.waitingOn.push(r.dependsOn);
  }
  return out;
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export function cardView(row: CardRow, deps: DepInfo = NO_DEPS): CardView {
  return {
    tenant_id: row.tenantId,
    host: row.host,
    id: row.id,
    title: row.title,
    body: row.body,
    phase: row.phase,
    priority: row.priority,
    status: row.status,
    status_changed_at: row.statusChangedAt.toISOString(),
    assignee_class: row.assigneeClass,
    depends_on: deps.dependsOn,
    waiting_on: deps.waitingOn,
    claim_owner: row.claimOwner,
    claim_host: row.claimHost,
    claimed_at: iso(row.claimedAt),
    lease_expires_at: iso(row.leaseExpiresAt),
    fence: row.fence,
    attempts: row.attempts,
    max_attempts: row.maxAttempts,
    idempotency_key: row.idempotencyKey,
    acceptance: row.acceptance,
    projected_spend: row.projectedSpend,
    actual_spend: row.actualSpend,
    blocked_reason: row.blockedReason,
    last_error: row.lastError,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
    done_at: iso(row.doneAt),
    repo: row.repo,
    base: row.base,
    paths: row.paths.globs,
    assignee: row.assignee,
    review: row.review as ReviewRecord | null,
    wait_reason: row.waitReason,
  };
}

export async function cardViews(
  ex: Executor,
  tenantId: string,
  rows: CardRow[],
): Promise<CardView[]> {
  const deps = await loadDeps(
    ex,
    tenantId,
    rows.map((r) => r.id),
  );
  return rows.map((r) => cardView(r, deps.get(r.id)));
}

export async function oneCardView(ex: Executor, row: CardRow): Promise<CardView> {
  const [view] = await cardViews(ex, row.tenantId, [row]);
  return view!;
}

export function eventView(row: CardEventRow): CardEventView {
  return {
    tenant_id: row.tenantId,
    host: row.host,
    seq: row.seq,
    card_id: row.cardId,
    kind: row.kind,
    actor: row.actor,
    detail: row.detail,
    at: row.at.toISOString(),
  };
}

export async function findCard(
  ex: Executor,
  tenantId: string,
  id: string,
): Promise<CardRow | undefined> {
  const [row] = await ex
    .select()
    .from(cards)
    .where(and(eq(cards.tenantId, tenantId), eq(cards.id, id)))
    .limit(1);
  return row;
}

/** The row locked for the rest of the transaction, so the status checked is the status changed. */
export async function lockCard(tx: Executor, tenantId: string, id: string): Promise<CardRow> {
  const [row] = await tx
    .select()
    .from(cards)
    .where(and(eq(cards.tenantId, tenantId), eq(cards.id, id)))
    .for('update');
  if (!row) throw new CardNotFound(id);
  return row;
}
