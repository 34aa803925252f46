/** How each reason and action of the inbox reads and looks (lib/attention/types.ts names them). */
import type { AttentionAction, AttentionItem, AttentionReason } from '@/lib/attention/types';

export const REASON_LABELS = {
  permission: 'Permission',
  question: 'Question',
  rate_limited: 'Rate limited',
  auth_failed: 'Not logged in',
  failed: 'Crash-looping',
  recovery_halted: 'Recovery halted',
  card_blocked: 'Card blocked',
  check_failed: 'Check failed',
  review: 'Review',
  merge_held: 'Merge held',
  takeover_held: 'Takeover held',
  paused: 'Fleet paused',
  roster_invalid: 'Roster invalid',
  northstar_invalid: 'NORTH_STAR invalid',
} as const satisfies Record<AttentionReason, string>;

// red: the fleet or an agent is stopped; amber: an agent waits for a human; sky: work waits
const REASON_TONES: Record<AttentionReason, string> = {
  permission: 'bg-amber-100 text-amber-900 ring-amber-300',
  question: 'bg-amber-100 text-amber-900 ring-amber-300',
  rate_limited: 'bg-violet-100 text-violet-900 ring-violet-300',
  auth_failed: 'bg-rose-100 text-rose-900 ring-rose-300',
  failed: 'bg-rose-100 text-rose-900 ring-rose-300',
  recovery_halted: 'bg-rose-100 text-rose-900 ring-rose-300',
  card_blocked: 'bg-sky-100 text-sky-900 ring-sky-300',
  check_failed: 'bg-sky-100 text-sky-900 ring-sky-300',
  review: 'bg-sky-100 text-sky-900 ring-sky-300',
  merge_held: 'bg-orange-100 text-orange-900 ring-orange-300',
  takeover_held: 'bg-slate-200 text-slate-800 ring-slate-300',
  paused: 'bg-orange-100 text-orange-900 ring-orange-300',
  roster_invalid: 'bg-rose-100 text-rose-900 ring-rose-300',
  northstar_invalid: 'bg-orange-100 text-orange-900 ring-orange-300',
};

export const ACTION_LABELS = {
  approve: 'Approve',
  deny: 'Deny',
  reply: 'Reply',
  resume_agent: 'Resume agent',
  restart_agent: 'Restart agent',
  release_takeover: 'Release takeover',
  retry_card: 'Retry card',
  resume_fleet: 'Resume fleet',
} as const satisfies Record<AttentionAction, string>;

export function ReasonBadge({ reason, testId }: { reason: AttentionReason; testId?: string }) {
  return (
    <span
      data-testid={testId}
      className={`inline-block shrink-0 rounded-full px-2 py-0.5 text-xs font-semibold ring-1 ${REASON_TONES[reason]}`}
    >
      {REASON_LABELS[reason]}
    </span>
  );
}

/** One line naming what an item is about, for a notification's body. */
export function aboutLine(item: Pick<AttentionItem, 'reason' | 'agent' | 'card'>): string {
  return [REASON_LABELS[item.reason], item.agent, item.card && `card ${item.card}`]
    .filter(Boolean)
    .join(' · ');
}
