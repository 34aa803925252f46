/**
 * Human-readable lines for `fleet backlog …` (with --json the API's JSON is printed instead).
 * Card text is written by agents and other clients: every field on a line goes through oneLine
 * and the body through multiLine, so it is shown and never obeyed by the terminal
 * (lib/terminal-text.ts).
 */
import type { RepoPlace } from '../lib/review/contract.js';
import { multiLine, oneLine as one } from '../lib/terminal-text.js';
import type {
  BacklogStats,
  CardEventView,
  CardView,
  ReclaimedCard,
} from '../lib/store/contract.js';
import { reviewSummary } from './review-format.js';

export function cardLine(c: CardView): string {
  const waiting = c.waiting_on.length ? `  (waits on ${one(c.waiting_on.join(', '))})` : '';
  const owner = c.status === 'claimed' ? `  [${one(c.claim_owner ?? '')} fence ${c.fence}]` : '';
  const review =
    c.status === 'review' && c.review
      ? `  [${c.review.state}, round ${c.review.round}, by ${one(c.review.author)}]`
      : '';
  const waits = c.wait_reason ? `  (${one(c.wait_reason)})` : '';
  return `${one(c.id)}  ${c.status.padEnd(7)}  p${c.priority}  ${one(c.phase ?? '-')}  ${one(c.title)}${owner}${review}${waiting}${waits}`;
}

export function cardDetails(c: CardView, events: CardEventView[] = []): string[] {
  const lines = [
    `${one(c.id)}: ${one(c.title)}`,
    `  status     ${c.status} since ${c.status_changed_at}`,
    `  priority   ${c.priority}   phase ${one(c.phase ?? '-')}   class ${one(c.assignee_class ?? 'any')}`,
    `  depends on ${one(c.depends_on.join(', ')) || '-'}${c.waiting_on.length ? ` (waiting on ${one(c.waiting_on.join(', '))})` : ''}`,
    `  attempts   ${c.attempts} of ${c.max_attempts}   fence ${c.fence}`,
  ];
  if (c.status === 'claimed')
    lines.push(
      `  claimed by ${one(c.claim_owner ?? '')} on ${one(c.claim_host ?? '')}, lease until ${c.lease_expires_at}`,
    );
  lines.push(...repoLines(c));
  if (c.blocked_reason) lines.push(`  blocked    ${one(c.blocked_reason)}`);
  if (c.last_error) lines.push(`  last error ${one(c.last_error)}`);
  if (c.acceptance.criteria.length)
    lines.push('  acceptance', ...c.acceptance.criteria.map((a) => `    - ${one(a)}`));
  if (c.acceptance.check) lines.push(`  check      ${one(c.acceptance.check)}`);
  if (c.body)
    lines.push(
      '',
      ...multiLine(c.body)
        .split('\n')
        .map((l) => `  ${l}`),
    );
  lines.push(`  tenant ${one(c.tenant_id)}, created on ${one(c.host)} at ${c.created_at}`);
  if (events.length) lines.push('', ...events.map(eventLine));
  return lines;
}

/** A repo card's place, who alone may take it, why it waits, and where it stands in review. */
function repoLines(c: CardView): string[] {
  const lines: string[] = [];
  if (c.repo || c.base || c.paths.length)
    lines.push(`  repo       ${one(c.repo ?? 'default')}   base ${one(c.base ?? 'default')}`);
  if (c.paths.length) lines.push(`  paths      ${one(c.paths.join(', '))}`);
  if (c.assignee) lines.push(`  assignee   ${one(c.assignee)}`);
  if (c.wait_reason) lines.push(`  waits      ${one(c.wait_reason)}`);
  if (c.review) lines.push(`  review     ${reviewSummary(c.review)}`);
  return lines;
}

export function eventLine(e: CardEventView): string {
  return `  #${e.seq} ${e.at} ${one(e.card_id)} ${e.kind} by ${one(e.actor)}@${one(e.host)} ${one(JSON.stringify(e.detail))}`;
}

export function claimHint(c: CardView, place: RepoPlace | null = null): string {
  return (
    `claimed ${one(c.id)} (fence ${c.fence}, lease until ${c.lease_expires_at}): ${one(c.title)}\n` +
    (place
      ? `work in ${one(place.worktree)} on ${one(place.branch)} (base ${one(place.base)}) and commit there\n`
      : '') +
    `finish with: fleet backlog complete --id ${one(c.id)} --owner ${one(c.claim_owner ?? '')} --fence ${c.fence}`
  );
}

export function reclaimLine(list: ReclaimedCard[]): string {
  if (list.length === 0) return 'nothing to reclaim';
  return `reclaimed ${list.map((r) => `${one(r.id)} (from ${one(r.previous_owner ?? '?')}, now ${r.status})`).join(', ')}`;
}

export function statsLine(s: BacklogStats): string {
  const age = s.oldest_ready_age_seconds === null ? '' : `, oldest ${s.oldest_ready_age_seconds}s`;
  return (
    `ready ${s.counts.ready} (${s.ready_eligible} claimable${age}) · ` +
    `claimed ${s.counts.claimed} (${s.expired_claims} expired) · blocked ${s.counts.blocked} · ` +
    `done ${s.counts.done} · total ${s.total}   [tenant ${one(s.tenant_id)}, host ${one(s.host)}]`
  );
}
