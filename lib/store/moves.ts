/**
 * Which status changes a board may make by moving a card (the web panel's Kanban drag and
 * `fleet backlog move`), and what each one does. Pure; the store applies the result.
 */
import type { CardStatusValue } from './contract.js';

export type MoveAction =
  | 'noop'
  /** ready|claimed → blocked: park it, dropping any claim (the holder's fence stops working) */
  | 'block'
  /** blocked → ready: back in the pool with fresh attempts */
  | 'unblock'
  /** claimed → ready: take it back from its holder now, as `reclaim --id` does */
  | 'release'
  /** ready|blocked|claimed → done: closed by an operator, only once its dependencies are done */
  | 'close';

export type MovePlan = { ok: true; action: MoveAction } | { ok: false; reason: string };

export function planMove(
  from: CardStatusValue,
  to: CardStatusValue,
  waitingOn: readonly string[],
): MovePlan {
  if (from === to) return { ok: true, action: 'noop' };
  if (from === 'done')
    return { ok: false, reason: 'done is final; create a follow-up card instead' };
  if (to === 'claimed') {
    return {
      ok: false,
      reason: 'cards are claimed by an owner (backlog claim), not moved to claimed',
    };
  }
  if (to === 'review')
    return {
      ok: false,
      reason: 'a card reaches review when its author reports it done (docs/review.md)',
    };
  if (from === 'review' && to === 'done')
    return {
      ok: false,
      reason:
        'a card in review is done when the merge gate merges it: approve it (fleet review approve)',
    };
  if (from === 'review' && to === 'ready')
    return {
      ok: false,
      reason: 'send it back with a comment instead (fleet review request-changes), or block it',
    };
  if (to === 'blocked') return { ok: true, action: 'block' };
  if (to === 'ready') return { ok: true, action: from === 'blocked' ? 'unblock' : 'release' };
  if (waitingOn.length > 0) {
    return { ok: false, reason: `cannot be done while it waits on ${waitingOn.join(', ')}` };
  }
  return { ok: true, action: 'close' };
}
