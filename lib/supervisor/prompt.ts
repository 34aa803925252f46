import { escapeControls } from '../control-chars.js';
import type { CardView } from '../store/contract.js';
import type { RepoPlace } from '../review/contract.js';

export interface Claim {
  owner: string;
  fence: number;
}

/**
 * The prompt fleetd types into an agent's pane for one card: what to do, how it will be
 * judged, and the exact commands to report back. One line per field so a TUI that submits
 * on Enter still gets it as one message (sent through a buffer, Enter separate).
 */
export function cardPrompt(
  card: CardView,
  claim: Claim,
  fleetBin = 'fleet',
  place: RepoPlace | null = null,
): string {
  const report = `--id ${card.id} --owner ${claim.owner} --fence ${claim.fence}`;
  const body = expandTabs(card.body.trim());
  const lines = [`[fleet task ${card.id}] ${expandTabs(card.title)}`, body || '(no description)'];
  if (card.acceptance.criteria.length) {
    lines.push(
      `Acceptance: ${card.acceptance.criteria.map((c, i) => `(${i + 1}) ${expandTabs(c)}`).join(' ')}`,
    );
  }
  if (card.acceptance.check)
    lines.push(
      `Check that will run before it counts as done: ${expandTabs(card.acceptance.check)}`,
    );
  if (place) lines.push(...placeLines(card, place));
  // each command on a line of its own, so an agent (or the stub) can copy it as is
  lines.push(
    'When done, run:',
    `${fleetBin} backlog complete ${report}`,
    'If you cannot finish, run:',
    `${fleetBin} backlog fail ${report} --reason "<why>"`,
  );
  return lines.join('\n');
}

/**
 * Where a repository card is worked, and why it came back if it did (docs/review.md): the
 * agent is told to work in the worktree; its pane stays where it was launched.
 */
function placeLines(card: CardView, place: RepoPlace): string[] {
  const lines = [
    `Repository: ${place.repo} (base ${place.base})`,
    `Worktree: ${place.worktree}`,
    `Branch: ${place.branch}`,
    `Work only in that worktree (cd ${place.worktree}) and commit your changes on ${place.branch}; uncommitted work is not reviewed.`,
  ];
  const back = card.status !== 'done' ? card.review?.returned : null;
  if (back) {
    const text = escapeControls(expandTabs(back.text), '\n');
    lines.push(`Returned (${back.kind}) by ${back.by}: ${text}`);
  }
  return lines;
}

/**
 * Tabs as spaces, to the next multiple of `width` on each line. A card body may hold tabs
 * (lib/store/contract.ts), but typed into a TUI a tab is a key (completion, a mode switch), so
 * delivery refuses it (lib/send/text.ts); spaces keep the layout and arrive as text.
 */
export function expandTabs(text: string, width = 8): string {
  if (!text.includes('\t')) return text;
  return text
    .split('\n')
    .map((line) => {
      let out = '';
      for (const ch of line) out += ch === '\t' ? ' '.repeat(width - (out.length % width)) : ch;
      return out;
    })
    .join('\n');
}

export function replanPrompt(
  stats: { total: number; done: number; blocked: number },
  idleAgents: readonly string[],
): string {
  return [
    `[fleet replan] Nothing is ready in the backlog (${stats.done}/${stats.total} done, ${stats.blocked} blocked) and ${idleAgents.length} agent(s) are idle: ${idleAgents.join(', ')}.`,
    'Plan the next cards (fleet backlog create …, or edit NORTH_STAR.yaml and run fleet plan), or unblock blocked cards.',
  ].join('\n');
}

export function escalationPrompt(
  card: Pick<CardView, 'id' | 'title' | 'attempts' | 'last_error'>,
): string {
  // card text quoted back may predate the rule on control characters, and a last error may be
  // a check's output: written out, so the escalation itself can always be typed
  const title = escapeControls(card.title);
  const lastError = card.last_error === null ? 'unknown' : escapeControls(card.last_error, '\n');
  return `[fleet escalation] Card ${card.id} "${title}" is blocked after ${card.attempts} attempts. Last error: ${lastError}. Decide: rewrite it, split it, or unblock it (fleet backlog unblock --id ${card.id}).`;
}

/** Screen text that looks like a credentials problem rather than a crash. */
const AUTH_PATTERNS = [
  /invalid api key/i,
  /\b401\b.*unauthori[sz]ed/i,
  /authentication (failed|error|required)/i,
  /please (log ?in|sign ?in|run .*login)/i,
  /not logged in/i,
  /api key (is )?(missing|not set)/i,
];

export function looksLikeAuthFailure(screen: string): boolean {
  return AUTH_PATTERNS.some((p) => p.test(screen));
}

/**
 * Repeated auth-like failures across agents mean restarting will not help (a revoked key, an
 * expired login): halt automatic recovery once `threshold` distinct agents show one.
 */
export function authHalt(failuresByAgent: ReadonlyMap<string, number>, threshold = 2): boolean {
  let agents = 0;
  for (const n of failuresByAgent.values()) if (n > 0) agents++;
  return agents >= threshold;
}
