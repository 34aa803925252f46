import * as c from '@/lib/store/contract.js';
import type { Router } from '../router.js';
import type { FleetServices } from '../services.js';

/** POST /v1/backlog/<op>: one route per backlog operation, bodies per lib/store/contract.ts. */
export function registerBacklogRoutes(
  router: Router,
  { backlog, identity, repoWork }: FleetServices,
): void {
  const id = identity;
  router
    .post('/v1/backlog/create', c.createCardInput, async (i) => ({
      ...id,
      ...(await backlog.create(i)),
    }))
    .post('/v1/backlog/show', c.cardRef, async (i) => ({ ...id, ...(await backlog.show(i.id)) }))
    .post('/v1/backlog/list', c.listCardsInput, async (i) => ({
      ...id,
      cards: await backlog.list(i),
    }))
    .post('/v1/backlog/events', c.eventsInput, async (i) => ({
      ...id,
      events: await backlog.events(i),
    }))
    .post('/v1/backlog/update', c.updateCardInput, async (i) => ({
      ...id,
      card: await backlog.update(i),
    }))
    // a repository card is worked in its worktree, made at claim (docs/review.md)
    .post('/v1/backlog/claim', c.claimInput, async (i) => {
      const card = await backlog.claim(i);
      return { ...id, card, place: card ? await repoWork.prepare(card) : null };
    })
    .post('/v1/backlog/renew', c.renewInput, async (i) => ({ ...id, card: await backlog.renew(i) }))
    .post('/v1/backlog/complete', c.completeInput, async (i) => ({
      ...id,
      card: await backlog.complete(i),
    }))
    .post('/v1/backlog/fail', c.failInput, async (i) => ({ ...id, card: await backlog.fail(i) }))
    .post('/v1/backlog/reclaim', c.reclaimInput, async (i) => ({
      ...id,
      reclaimed: await backlog.reclaim(i),
    }))
    .post('/v1/backlog/link', c.linkInput, async (i) => ({ ...id, card: await backlog.link(i) }))
    .post('/v1/backlog/unlink', c.linkInput, async (i) => ({
      ...id,
      card: await backlog.unlink(i),
    }))
    .post('/v1/backlog/block', c.blockInput, async (i) => ({ ...id, card: await backlog.block(i) }))
    .post('/v1/backlog/unblock', c.unblockInput, async (i) => ({
      ...id,
      card: await backlog.unblock(i),
    }))
    .post('/v1/backlog/move', c.moveInput, async (i) => ({ ...id, card: await backlog.move(i) }))
    .post('/v1/backlog/stats', c.statsInput, () => backlog.stats())
    .post('/v1/backlog/wait', c.waitInput, async (i, ctx) => ({
      ...id,
      ...(await backlog.wait(i, ctx.signal)),
    }));
}
