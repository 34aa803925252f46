/** Editing the dependency DAG; a link that would close a cycle is refused, naming the cycle. */
import { and, eq, sql } from 'drizzle-orm';
import type { CardView, LinkInput } from './contract.js';
import { mutate, recordEvent, type StoreContext } from './context.js';
import { cycleIfLinked, type Edge } from './dag.js';
import type { Tx } from './db.js';
import { CardNotFound, DependencyCycle, IllegalTransition } from './errors.js';
import { FleetError } from '../errors.js';
import { cardDeps } from './schema.js';
import { findCard, lockCard, oneCardView } from './view.js';

/** Every edge reachable from `start` along depends_on: enough to see whether it reaches back. */
async function edgesFrom(tx: Tx, tenantId: string, start: string): Promise<Edge[]> {
  const result = await tx.execute<{ card_id: string; depends_on_id: string }>(sql`
    with recursive reach(id) as (
      select ${start}::text
      union
      select d.depends_on_id from ${cardDeps} d join reach r on d.card_id = r.id
      where d.tenant_id = ${tenantId}
    )
    select d.card_id, d.depends_on_id from ${cardDeps} d join reach r on d.card_id = r.id
    where d.tenant_id = ${tenantId}`);
  return result.rows.map((r) => [r.card_id, r.depends_on_id] as const);
}

const edge = (tenantId: string, input: LinkInput) =>
  and(
    eq(cardDeps.tenantId, tenantId),
    eq(cardDeps.cardId, input.id),
    eq(cardDeps.dependsOnId, input.depends_on),
  );

/** `id` will wait for `depends_on`. Linking an existing edge changes nothing. */
export function linkCards(ctx: StoreContext, input: LinkInput): Promise<CardView> {
  return mutate(ctx, false, async (tx) => {
    // One DAG writer per tenant at a time: two concurrent links could each close half a cycle.
    await tx.execute(
      sql`select pg_advisory_xact_lock(hashtext(${`mosaic-fleet:dag:${ctx.tenantId}`}))`,
    );
    const card = await lockCard(tx, ctx.tenantId, input.id);
    if (!(await findCard(tx, ctx.tenantId, input.depends_on)))
      throw new CardNotFound(input.depends_on);
    if (input.id === input.depends_on) throw new DependencyCycle([input.id, input.id]);
    const [existing] = await tx.select().from(cardDeps).where(edge(ctx.tenantId, input)).limit(1);
    if (existing) return oneCardView(tx, card);
    if (card.status === 'claimed' || card.status === 'done') {
      throw new IllegalTransition(
        input.id,
        `is ${card.status}; dependencies are added before a card is claimed`,
      );
    }
    const cycle = cycleIfLinked(
      await edgesFrom(tx, ctx.tenantId, input.depends_on),
      input.id,
      input.depends_on,
    );
    if (cycle) throw new DependencyCycle(cycle);
    await tx.insert(cardDeps).values({
      tenantId: ctx.tenantId,
      cardId: input.id,
      dependsOnId: input.depends_on,
      host: ctx.host,
    });
    await recordEvent(tx, ctx, input.id, 'linked', input.actor ?? 'api', {
      depends_on: input.depends_on,
    });
    return oneCardView(tx, card);
  });
}

export function unlinkCards(ctx: StoreContext, input: LinkInput): Promise<CardView> {
  return mutate(ctx, true, async (tx) => {
    const card = await lockCard(tx, ctx.tenantId, input.id);
    const removed = await tx.delete(cardDeps).where(edge(ctx.tenantId, input)).returning();
    if (removed.length === 0) {
      throw new FleetError(
        'NOT_FOUND',
        `card "${input.id}" does not depend on "${input.depends_on}"`,
      );
    }
    await recordEvent(tx, ctx, input.id, 'unlinked', input.actor ?? 'api', {
      depends_on: input.depends_on,
    });
    return oneCardView(tx, card);
  });
}
