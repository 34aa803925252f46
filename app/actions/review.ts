'use server';
/**
 * Review from the panel's card view: the one approval, or back to the author with a comment
 * (lib/ops/review.ts through fleetd's services). Each: session → authorize → parse → lib →
 * result → revalidate. The reviewer is the signed-in operator, never a field of the request.
 */
import { approveInput, requestChangesInput, type ReviewView } from '@/lib/review/contract.js';
import { runAction, type ActionResult } from '@/lib/web/action.js';
import { actorOf } from '@/lib/web/session.js';

const approveRef = approveInput.omit({ by: true });
const changesRef = requestChangesInput.omit({ by: true });

export async function approveReviewAction(raw: unknown): Promise<ActionResult<ReviewView>> {
  return runAction(
    { schema: approveRef, permission: 'backlog.write', revalidate: ['/backlog'] },
    raw,
    (i, user, s) => s.review.approve({ ...i, by: actorOf(user) }),
  );
}

export async function requestChangesAction(raw: unknown): Promise<ActionResult<ReviewView>> {
  return runAction(
    { schema: changesRef, permission: 'backlog.write', revalidate: ['/backlog'] },
    raw,
    (i, user, s) => s.review.requestChanges({ ...i, by: actorOf(user) }),
  );
}
