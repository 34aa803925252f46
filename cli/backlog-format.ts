/** Human-readable lines for `fleet backlog …` (with --json the API's JSON is printed instead). */
import type {
  BacklogStats,
  CardEventView,
  CardView,
  ReclaimedCard,
} from '../lib/store/contract.js';

export function cardLine(c: CardView): string {
  const waiting = c.waiting_on.length ? `  (waits on ${c.waiting_on.join(', ')})` : '';
  const owner = c.status === 'claimed' ? `  [${c.claim_owner} fence ${c.fence}]` : '';
  return `${c.id}  ${c.status.padEnd(7)}  p${c.priority}  ${c.phase ?? '-'}  ${c.title}${owner}${waiting}`;
}

export function cardDetails(c: CardView, events: CardEventView[] = []): string[] {
  const lines = [
    `${c.id}: ${c.title}`,
    `  status     ${c.status} since ${c.status_changed_at}`,
    `  priority   ${c.priority}   phase ${c.phase ?? '-'}   class ${c.assignee_class ?? 'any'}`,
    `  depends on ${c.depends_on.join(', ') || '-'}${c.waiting_on.length ? ` (waiting on ${c.waiting_on.join(', ')})` : ''}`,
    `  attempts   ${c.attempts} of ${c.max_attempts}   fence ${c.fence}`,
  ];
  if (c.status === 'claimed')
    lines.push(
      `  claimed by ${c.claim_owner} on ${c.claim_host}, lease until ${c.lease_expires_at}`,
    );
  if (c.blocked_reason) lines.push(`  blocked    ${c.blocked_reason}`);
  if (c.last_error) lines.push(`  last error ${c.last_error}`);
  if (c.acceptance.criteria.length)
    lines.push('  acceptance', ...c.acceptance.criteria.map((a) => `    - ${a}`));
  if (c.acceptance.check) lines.push(`  check      ${c.acceptance.check}`);
  if (c.body) lines.push('', ...c.body.split('\n').map((l) => `  ${l}`));
  lines.push(`  tenant ${c.tenant_id}, created on ${c.host} at ${c.created_at}`);
  if (events.length) lines.push('', ...events.map(eventLine));
  return lines;
}

export function eventLine(e: CardEventView): string {
  return `  #${e.seq} ${e.at} ${e.card_id} ${e.kind} by ${e.actor}@${e.host} ${JSON.stringify(e.detail)}`;
}

export function claimHint(c: CardView): string {
  return (
    `claimed ${c.id} (fence ${c.fence}, lease until ${c.lease_expires_at}): ${c.title}\n` +
    `finish with: fleet backlog complete --id ${c.id} --owner ${c.claim_owner} --fence ${c.fence}`
  );
}

export function reclaimLine(list: ReclaimedCard[]): string {
  if (list.length === 0) return 'nothing to reclaim';
  return `reclaimed ${list.map((r) => `${r.id} (from ${r.previous_owner ?? '?'}, now ${r.status})`).join(', ')}`;
}

export function statsLine(s: BacklogStats): string {
  const age = s.oldest_ready_age_seconds === null ? '' : `, oldest ${s.oldest_ready_age_seconds}s`;
  return (
    `ready ${s.counts.ready} (${s.ready_eligible} claimable${age}) · ` +
    `claimed ${s.counts.claimed} (${s.expired_claims} expired) · blocked ${s.counts.blocked} · ` +
    `done ${s.counts.done} · total ${s.total}   [tenant ${s.tenant_id}, host ${s.host}]`
  );
}
