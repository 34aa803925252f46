'use server';
/**
 * The attention inbox from the panel: acknowledge an item, or answer it with one of its actions
 * (lib/ops/inbox.ts acts through the verified operations). Each: session → authorize → parse →
 * lib → result.
 */
import { actRef, itemRef } from '@/lib/attention/contract.js';
import type { ActResult, AttentionItem } from '@/lib/attention/types.js';
import { runAction, type ActionResult } from '@/lib/web/action.js';
import { actorOf } from '@/lib/web/session.js';

export async function ackItemAction(raw: unknown): Promise<ActionResult<AttentionItem>> {
  return runAction(
    { schema: itemRef, permission: 'fleet.control', revalidate: ['/inbox'] },
    raw,
    (i, user, s) => s.inbox.ack(i.id, actorOf(user)),
  );
}

export async function actItemAction(raw: unknown): Promise<ActionResult<ActResult>> {
  return runAction(
    { schema: actRef, permission: 'fleet.control', revalidate: ['/inbox'] },
    raw,
    (i, user, s) => s.inbox.act(i, actorOf(user)),
  );
}
