import { ENHANCER, ORCHESTRATOR } from '../roster/rules.js';

/** Classes that coordinate rather than take cards from the backlog. */
export const NON_WORKER_CLASSES: ReadonlySet<string> = new Set([ORCHESTRATOR, ENHANCER]);

export interface DispatchCard {
  id: string;
  priority: number;
  created_at: string;
  assignee_class: string | null;
}

export interface DispatchAgent {
  name: string;
  class: string;
  /** readiness from lib/readiness: only `available` agents take work */
  readiness: string;
  /** a human holds the pane (takeover): never type over them */
  heldByHuman: boolean;
  /** the card it is working on, if any */
  currentCard: string | null;
  enabled: boolean;
}

export interface Assignment {
  card: string;
  agent: string;
}

function canTake(agent: DispatchAgent, card: Pick<DispatchCard, 'assignee_class'>): boolean {
  if (!agent.enabled || agent.heldByHuman || agent.currentCard !== null) return false;
  // the permanent seats plan and improve; they are never handed a card, whatever its class
  if (NON_WORKER_CLASSES.has(agent.class)) return false;
  if (agent.readiness !== 'available') return false;
  return card.assignee_class ? agent.class === card.assignee_class : true;
}

const byPriority = (a: DispatchCard, b: DispatchCard) =>
  b.priority - a.priority || a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id);

/**
 * Match ready cards (every dependency done) to available agents: highest priority first,
 * never two cards to one agent, an agent only for its class (or any worker class when the
 * card names none). Agents are taken in name order so the same inputs give the same plan.
 */
export function planDispatch(
  readyCards: readonly DispatchCard[],
  agents: readonly DispatchAgent[],
): Assignment[] {
  const free = [...agents].sort((a, b) => a.name.localeCompare(b.name));
  const taken = new Set<string>();
  const out: Assignment[] = [];
  for (const card of [...readyCards].sort(byPriority)) {
    const agent = free.find((a) => !taken.has(a.name) && canTake(a, card));
    if (!agent) continue;
    taken.add(agent.name);
    out.push({ card: card.id, agent: agent.name });
  }
  return out;
}
