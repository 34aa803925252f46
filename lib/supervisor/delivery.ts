/**
 * What the supervisor does with a claim whose card did not reach the agent. Pure: the verdict
 * or error of the send goes in, the store action comes out (server/supervisor/work.ts carries
 * it out). A claim is never left held after a failed delivery: the agent would get no other
 * work while its lease is renewed, for as long as fleetd runs.
 */
import { describeControlChar, escapeControls, findControlChar } from '../control-chars.js';
import { FleetError } from '../errors.js';
import type { CardView } from '../store/contract.js';

export type DeliveryOutcome =
  | { action: 'none' }
  /**
   * The attempt failed and the claim is released with the reason (`fleet backlog fail`): the
   * card is ready again, or blocked once it has used its max_attempts.
   */
  | { action: 'fail'; reason: string }
  /** No agent could ever take it as it is: blocked with the reason until an operator fixes it. */
  | { action: 'block'; reason: string };

const NONE: DeliveryOutcome = { action: 'none' };
const FIX = 'fix the card (fleet backlog update) and unblock it';

type PromptFields = Pick<CardView, 'title' | 'body' | 'acceptance'>;

/**
 * Why the card's prompt could never be typed, before anything is sent: a control character in
 * a field (a card stored before create and update refused them, lib/store/contract.ts). The
 * prompt carries line breaks and expands tabs (lib/supervisor/prompt.ts), so those pass here.
 */
export function undeliverable(card: PromptFields): DeliveryOutcome {
  const fields: [string, string][] = [
    ['title', card.title],
    ['body', card.body],
    ...card.acceptance.criteria.map((c, i): [string, string] => [`acceptance.criteria[${i}]`, c]),
    ...(card.acceptance.check
      ? [['acceptance.check', card.acceptance.check] as [string, string]]
      : []),
  ];
  for (const [field, text] of fields) {
    const bad = findControlChar(text, '\n\t');
    if (bad)
      return {
        action: 'block',
        reason: `cannot be delivered: ${field} contains ${describeControlChar(bad)}; ${FIX}`,
      };
  }
  return NONE;
}

/** After a verified send: anything but `submitted` releases the claim as a failed attempt. */
export function afterVerdict(
  agent: string,
  receipt: { verdict: string; detail: string },
): DeliveryOutcome {
  if (receipt.verdict === 'submitted') return NONE;
  return {
    action: 'fail',
    reason: escapeControls(
      `delivery to ${agent} not accepted (${receipt.verdict}: ${receipt.detail})`,
      '\n',
    ),
  };
}

/**
 * After a send threw. A USAGE error while typing the prompt is the card's text itself being
 * refused (lib/send/text.ts): it would be refused again on every retry, so the card is blocked.
 * Anything else (tmux timing out, a dead pane, the send lock, or the reset typed before the
 * prompt, which is the agent's configuration and not the card) counts as one failed attempt.
 */
export function afterError(
  agent: string,
  error: unknown,
  stage: 'reset' | 'prompt' = 'prompt',
): DeliveryOutcome {
  const message = error instanceof Error ? error.message : String(error);
  if (stage === 'reset')
    return {
      action: 'fail',
      reason: escapeControls(`reset of ${agent} before delivery failed: ${message}`, '\n'),
    };
  if (error instanceof FleetError && error.code === 'USAGE')
    return {
      action: 'block',
      reason: escapeControls(`cannot be delivered to ${agent}: ${message}; ${FIX}`, '\n'),
    };
  return {
    action: 'fail',
    reason: escapeControls(`delivery to ${agent} failed: ${message}`, '\n'),
  };
}
