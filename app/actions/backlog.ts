'use server';
/**
 * Backlog changes from the Kanban board, each through the backlog service (fleetd's, in
 * process): the service decides which moves are legal (lib/store/moves.ts) and records every
 * change in the card's event log with the operator as actor.
 */
import { z } from 'zod';
import {
  CARD_STATUS_VALUES,
  createCardInput,
  linkInput,
  updateCardInput,
  type CardView,
  type CreateResult,
} from '@/lib/store/contract.js';
import { runAction, type ActionResult } from '@/lib/web/action.js';
import { actorOf } from '@/lib/web/session.js';

const cardId = updateCardInput.shape.id;

const moveInput = z.strictObject({
  id: cardId,
  to: z.enum(CARD_STATUS_VALUES),
  reason: z.string().trim().min(1).max(4000).optional(),
});

export async function moveCardAction(raw: unknown): Promise<ActionResult<CardView>> {
  return runAction(
    { schema: moveInput, permission: 'backlog.write', revalidate: ['/backlog'] },
    raw,
    (i, user, s) => s.backlog.move({ ...i, actor: actorOf(user) }),
  );
}

const createInput = createCardInput.omit({ actor: true, idempotency_key: true });

export async function createCardAction(raw: unknown): Promise<ActionResult<CreateResult>> {
  return runAction(
    { schema: createInput, permission: 'backlog.write', revalidate: ['/backlog'] },
    raw,
    (i, user, s) => s.backlog.create({ ...i, actor: actorOf(user) }),
  );
}

const updateInput = updateCardInput.omit({ actor: true });

export async function updateCardAction(raw: unknown): Promise<ActionResult<CardView>> {
  return runAction(
    { schema: updateInput, permission: 'backlog.write', revalidate: ['/backlog'] },
    raw,
    (i, user, s) => s.backlog.update({ ...i, actor: actorOf(user) }),
  );
}

const linkRef = linkInput.omit({ actor: true });

export async function linkCardAction(raw: unknown): Promise<ActionResult<CardView>> {
  return runAction(
    { schema: linkRef, permission: 'backlog.write', revalidate: ['/backlog'] },
    raw,
    (i, user, s) => s.backlog.link({ ...i, actor: actorOf(user) }),
  );
}

export async function unlinkCardAction(raw: unknown): Promise<ActionResult<CardView>> {
  return runAction(
    { schema: linkRef, permission: 'backlog.write', revalidate: ['/backlog'] },
    raw,
    (i, user, s) => s.backlog.unlink({ ...i, actor: actorOf(user) }),
  );
}
