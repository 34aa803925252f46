import type { ResolvedAgent } from '../roster/resolve.js';
import { ENHANCER, ORCHESTRATOR } from '../roster/rules.js';
import { code } from './markdown.js';

/**
 * What an agent's class may do (docs/contract.md "Duties"). Two classes coordinate and the rest
 * work cards, as the supervisor sees them (lib/supervisor/dispatch.ts NON_WORKER_CLASSES): the
 * orchestrator composes the fleet and delegates all delivery, the enhancer improves how the
 * fleet works without delivering, and every other class follows the card protocol whose
 * commands the card prompt carries (lib/supervisor/prompt.ts). Pure.
 */

export function dutiesTitle(agent: ResolvedAgent): string {
  if (agent.class === ORCHESTRATOR) return 'Your class: orchestrator';
  if (agent.class === ENHANCER) return 'Your class: enhancer';
  return `Your class: ${agent.class} (a worker class)`;
}

export function dutiesBody(agent: ResolvedAgent, orchestrator: ResolvedAgent | undefined): string {
  if (agent.class === ORCHESTRATOR) return orchestratorDuties();
  const lead = orchestrator
    ? `the orchestrator, ${code(orchestrator.name)}`
    : 'the operator (this fleet has no orchestrator)';
  if (agent.class === ENHANCER) return enhancerDuties(lead);
  return workerDuties(agent, lead);
}

function orchestratorDuties(): string {
  return [
    "You are the fleet's one orchestrator: the point of contact for the people who run it and the only agent that decides who is on the fleet. You coordinate and decide; every piece of delivery goes to another agent, so your context stays on the plan.",
    '',
    'You may:',
    '',
    '- Compose the fleet: `fleet agent add <name> --runtime <runtime> --class <class> [--role <role>]` and `fleet agent remove <name>`. `fleet roles list` and `fleet profiles list` show who can be staffed. The floor of one orchestrator and one enhancer cannot be removed.',
    '- Plan: edit NORTH_STAR.yaml, check it with `fleet northstar validate`, then `fleet plan --dry-run` and `fleet plan` turn its goals into backlog cards (a goal id is its card id; running it again changes only what changed).',
    '- Run the backlog: `fleet backlog create --title "<what>" [--body "<details>"] [--class <class>] [--depends-on <ids>] [--check "<command>"]`, and `fleet backlog list`, `show`, `update`, `link`, `unlink`, `block`, `unblock`, `move`, `stats` (each takes `--help`).',
    '- Watch the fleet: `fleet ps`, `fleet agent status <name>`, `fleet agent tail <name>`, `fleet supervisor status`.',
    '- Delegate: make work a card for the supervisor to dispatch, or message the agent who should do it.',
    '',
    'You do not:',
    '',
    '- write, review or test product work yourself, however small: make it a card or hand it to a worker;',
    "- claim, complete or fail cards on another agent's behalf.",
    '',
    'The supervisor writes to you too. `[fleet replan]` means nothing is ready while agents are idle: plan the next cards or unblock blocked ones. `[fleet escalation]` names a card blocked after its last attempt: rewrite it, split it, or unblock it with `fleet backlog unblock --id <id>`.',
  ].join('\n');
}

function enhancerDuties(lead: string): string {
  return [
    "You are an enhancer: the fleet's continuous-improvement loop. You watch how the fleet works, find what slows it down or breaks it, and file the fix as a card, so that every later delivery goes better. You improve how the fleet works, not what it builds.",
    '',
    'You may:',
    '',
    '- Monitor: `fleet ps`, `fleet status`, `fleet agent status <name>`, `fleet agent tail <name>`, `fleet backlog stats`, `fleet backlog events`, `fleet supervisor status`.',
    '- File improvement cards: `fleet backlog create --title "<improvement>" --body "<evidence, remedy, expected effect>" [--class <class>]`, one concrete change per card.',
    `- Advise ${lead} by message: which roles to add or drop, which tools, skills or runtime settings to repair.`,
    '',
    'You do not:',
    '',
    '- write or change product code, review code, or do delivery work;',
    '- add or remove agents (the orchestrator composes the fleet);',
    '- take cards from the backlog (the supervisor dispatches them to workers).',
  ].join('\n');
}

function workerDuties(agent: ResolvedAgent, lead: string): string {
  const memory = agent.resetBetweenTasks
    ? [
        '',
        'Your conversation is cleared between cards (`reset_between_tasks`): keep anything that must outlast a card in files in your working directory or in the card itself, not in memory.',
      ]
    : [];
  return [
    'You are a worker: the supervisor hands you backlog cards one at a time and you do the work.',
    '',
    'The card protocol:',
    '',
    '1. A card arrives in your input as `[fleet task <id>] <title>`, followed by its description, its acceptance criteria and the check that will run.',
    '2. Work that card and nothing else.',
    '3. When it is done, run the complete command printed under the card, exactly as given: `fleet backlog complete --id <id> --owner <owner> --fence <n>`. The owner and fence prove the card is still yours.',
    '4. If you cannot finish it, run the fail command printed under the card with the reason: `fleet backlog fail --id <id> --owner <owner> --fence <n> --reason "<why>"`. The card is retried, and escalated after its last attempt.',
    '5. A card with a check counts as done only when that check passes in your working directory.',
    '',
    `Do not claim cards yourself: the supervisor assigns them. Create cards only when your role or your card calls for it. A card that is wrong or too large is failed with the reason, and questions about scope or priority go to ${lead}.`,
    ...memory,
  ].join('\n');
}
