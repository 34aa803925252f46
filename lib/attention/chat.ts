/**
 * What fleetd answers itself when the operator writes from a chat (docs/attention.md "Chat"),
 * and how notifications read. Pure. Anything that is not one of these commands goes to the
 * orchestrator, labelled with where it came from.
 */
import type { PsRow } from '../fleet/ps.js';
import type { BacklogStats } from '../store/contract.js';
import type { PauseView } from '../store/registry-contract.js';
import type { AttentionItem } from './types.js';

export type ChatCommand =
  | { kind: 'status' }
  | { kind: 'inbox' }
  | { kind: 'pause'; reason: string }
  | { kind: 'resume' }
  | { kind: 'help' };

/**
 * A whole message that is `status`, `inbox`, `resume`, `help` or `pause <reason>` (any case,
 * optionally after `/` or `!`; a Telegram `/status@bot` suffix is ignored) is a command. `pause`
 * without a reason is a command too, answered with how to give one.
 */
export function parseChatCommand(
  text: string,
): ChatCommand | { kind: 'pause_needs_reason' } | null {
  const t = text.trim();
  const m = /^[/!]?([a-z]+)(?:@\S+)?(?:\s+([\s\S]*))?$/i.exec(t);
  if (!m) return null;
  const word = m[1]!.toLowerCase();
  const rest = (m[2] ?? '').trim();
  if (word === 'pause')
    return rest ? { kind: 'pause', reason: rest.slice(0, 2000) } : { kind: 'pause_needs_reason' };
  if (rest) return null;
  if (word === 'status' || word === 'inbox' || word === 'resume' || word === 'help')
    return { kind: word };
  return null;
}

export const CHAT_HELP = [
  'Commands fleetd answers itself:',
  '  status          agents, backlog and PAUSE',
  '  inbox           what needs you',
  '  pause <reason>  stop dispatch and restarts',
  '  resume          lift PAUSE',
  'Anything else goes to the orchestrator.',
].join('\n');

export function statusText(
  host: string,
  rows: readonly PsRow[],
  stats: BacklogStats,
  pause: PauseView,
  openItems: number,
): string {
  const by = new Map<string, number>();
  for (const r of rows) if (r.managed) by.set(r.readiness, (by.get(r.readiness) ?? 0) + 1);
  const agents = [...by.entries()].map(([k, n]) => `${n} ${k}`).join(', ') || 'none';
  const c = stats.counts;
  return [
    `fleet on ${host}: ${rows.filter((r) => r.managed).length} agents (${agents})`,
    `backlog: ${c.ready} ready, ${c.claimed} claimed, ${c.blocked} blocked, ${c.done} done`,
    pause.paused
      ? `PAUSED since ${pause.since ?? '?'} by ${pause.by ?? '?'}: ${pause.reason ?? 'no reason'}`
      : 'running',
    ...(pause.halted ? [`RECOVERY HALTED: ${pause.halted}`] : []),
    `inbox: ${openItems} open`,
  ].join('\n');
}

export function inboxText(items: readonly AttentionItem[], panelUrl: string | null): string {
  if (!items.length) return 'inbox: nothing needs you';
  const lines = items
    .slice(0, 15)
    .map(
      (i) =>
        `${i.id} ${i.reason}${i.agent ? ` ${i.agent}` : ''}${i.card ? ` ${i.card}` : ''}: ${i.title}${i.acked_at ? ' (acknowledged)' : ''}`,
    );
  if (items.length > 15) lines.push(`… and ${items.length - 15} more`);
  if (panelUrl) lines.push(`${panelUrl}/inbox`);
  return [`inbox: ${items.length} open`, ...lines].join('\n');
}

/** One notification: what, who, the first lines of the evidence. The link travels beside it. */
export function notificationText(item: AttentionItem): string {
  const evidence = item.evidence
    .split('\n')
    .filter((l) => l.trim())
    .slice(-4)
    .join('\n');
  return [
    `[fleet ${item.host}] ${item.title}`,
    ...(evidence ? [evidence] : []),
    `(${item.id}; answer in the panel or: fleet inbox act ${item.id} <action>)`,
  ].join('\n');
}
