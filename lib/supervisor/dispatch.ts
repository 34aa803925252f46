import { ENHANCER, ORCHESTRATOR } from '../roster/rules.js';
import { pathsWait, type PathsCard } from './paths.js';

/** The class whose agents review repository cards and take nothing else. */
export const REVIEWER_CLASS = 'reviewer';

/** Classes that coordinate rather than take cards from the backlog. */
export const NON_WORKER_CLASSES: ReadonlySet<string> = new Set([ORCHESTRATOR, ENHANCER]);

export interface DispatchCard {
  id: string;
  priority: number;
  created_at: string;
  assignee_class: string | null;
  /** only this agent takes it (its author, back from review) */
  assignee?: string | null;
  /** its repository and declared paths (docs/review.md "Paths") */
  repo?: string | null;
  paths?: readonly string[];
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

function canTake(
  agent: DispatchAgent,
  card: Pick<DispatchCard, 'assignee_class' | 'assignee'>,
): boolean {
  if (!agent.enabled || agent.heldByHuman || agent.currentCard !== null) return false;
  if (card.assignee) return agent.name === card.assignee && agent.readiness === 'available';
  // the permanent seats plan and improve; they are never handed a card, whatever its class
  if (NON_WORKER_CLASSES.has(agent.class)) return false;
  if (agent.readiness !== 'available') return false;
  // a reviewer only reviews (docs/review.md): it takes the cards made for its class, no others
  if (agent.class === REVIEWER_CLASS) return card.assignee_class === REVIEWER_CLASS;
  return card.assignee_class ? agent.class === card.assignee_class : true;
}

/**
 * Whether any of these agents could take any of these cards, paths and claims left aside: a
 * pass that finds none has nothing to plan (the cards in progress need not be read).
 */
export function mayTakeAny(
  cards: readonly Pick<DispatchCard, 'assignee_class' | 'assignee'>[],
  agents: readonly DispatchAgent[],
): boolean {
  return agents.some((a) => cards.some((c) => canTake(a, c)));
}

const byPriority = (a: DispatchCard, b: DispatchCard) =>
  b.priority - a.priority || a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id);

/**
 * Match ready cards (every dependency done) to available agents: highest priority first,
 * never two cards to one agent, an agent only for its class (or any worker class when the
 * card names none), a card back from review only for its author, and never two cards whose
 * paths overlap in one repository (with each other or with `active`, the cards in progress).
 * Agents are taken in name order so the same inputs give the same plan.
 */
export function planDispatch(
  readyCards: readonly DispatchCard[],
  agents: readonly DispatchAgent[],
  active: readonly PathsCard[] = [],
): Assignment[] {
  const free = [...agents].sort((a, b) => a.name.localeCompare(b.name));
  const taken = new Set<string>();
  const working: PathsCard[] = [...active];
  const out: Assignment[] = [];
  for (const card of [...readyCards].sort(byPriority)) {
    const mine = pathsCard(card);
    if (pathsWait(mine, working)) continue;
    const agent = free.find((a) => !taken.has(a.name) && canTake(a, card));
    if (!agent) continue;
    taken.add(agent.name);
    working.push(mine);
    out.push({ card: card.id, agent: agent.name });
  }
  return out;
}

export function pathsCard(card: Pick<DispatchCard, 'id' | 'repo' | 'paths'>): PathsCard {
  return { id: card.id, repo: card.repo ?? null, paths: card.paths ?? [] };
}
