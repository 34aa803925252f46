import type { RosterAgent } from './schema.js';

/** Pure floor and consistency rules over plain roster data; no IO. */

export interface RuleIssue {
  /** path inside the roster document, e.g. ['agents', 1, 'class'] */
  path: (string | number)[];
  message: string;
}

export const ORCHESTRATOR = 'orchestrator';
export const ENHANCER = 'enhancer';

export type AgentLike = Pick<RosterAgent, 'name' | 'class'> &
  Partial<Pick<RosterAgent, 'runtime' | 'harness' | 'model' | 'model_hint'>>;

/** A roster of at most one agent is a canary/minimal roster: the two-agent floor does not apply. */
function isMinimal(agents: readonly AgentLike[]): boolean {
  return agents.length <= 1;
}

export function countClass(agents: readonly AgentLike[], cls: string): number {
  return agents.filter((a) => a.class === cls).length;
}

export function floorIssues(agents: readonly AgentLike[]): RuleIssue[] {
  const issues: RuleIssue[] = [];
  const orchestrators = agents
    .map((a, i) => ({ a, i }))
    .filter(({ a }) => a.class === ORCHESTRATOR);
  if (orchestrators.length > 1) {
    const second = orchestrators[1]!;
    issues.push({
      path: ['agents', second.i, 'class'],
      message: `only one orchestrator is allowed; "${orchestrators[0]!.a.name}" already is one`,
    });
  }
  if (isMinimal(agents)) return issues;
  if (orchestrators.length === 0) {
    issues.push({
      path: ['agents'],
      message: 'a fleet needs exactly one agent with class: orchestrator',
    });
  }
  if (countClass(agents, ENHANCER) === 0) {
    issues.push({
      path: ['agents'],
      message: 'a fleet needs at least one agent with class: enhancer',
    });
  }
  return issues;
}

export function duplicateNameIssues(agents: readonly AgentLike[]): RuleIssue[] {
  const seen = new Map<string, number>();
  const issues: RuleIssue[] = [];
  agents.forEach((a, i) => {
    const first = seen.get(a.name);
    if (first !== undefined) {
      issues.push({
        path: ['agents', i, 'name'],
        message: `duplicate agent name "${a.name}" (first at agents[${first}])`,
      });
    } else seen.set(a.name, i);
  });
  return issues;
}

export function aliasIssues(
  agents: readonly AgentLike[],
  knownRuntimes: ReadonlySet<string>,
): RuleIssue[] {
  const issues: RuleIssue[] = [];
  agents.forEach((a, i) => {
    if (a.runtime && a.harness && a.runtime !== a.harness) {
      issues.push({
        path: ['agents', i, 'harness'],
        message: `harness "${a.harness}" disagrees with runtime "${a.runtime}" (they are the same field)`,
      });
    }
    if (a.model && a.model_hint && a.model !== a.model_hint) {
      issues.push({
        path: ['agents', i, 'model_hint'],
        message: `model_hint "${a.model_hint}" disagrees with model "${a.model}" (they are the same field)`,
      });
    }
    const rt = a.runtime ?? a.harness;
    if (!rt) {
      issues.push({ path: ['agents', i], message: 'runtime is required' });
    } else if (!knownRuntimes.has(rt)) {
      issues.push({
        path: ['agents', i, a.runtime ? 'runtime' : 'harness'],
        message: `unknown runtime "${rt}" (known: ${[...knownRuntimes].sort().join(', ')}; declare a custom one under runtimes: with a command)`,
      });
    }
  });
  return issues;
}

/** Would removing `name` break the floor? Returns the reason, or null. */
export function removalBlocker(agents: readonly AgentLike[], name: string): string | null {
  const target = agents.find((a) => a.name === name);
  if (!target) return null;
  const rest = agents.filter((a) => a.name !== name);
  if (isMinimal(rest) && rest.length === 0) return null;
  if (target.class === ORCHESTRATOR && countClass(rest, ORCHESTRATOR) === 0) {
    return `refusing to remove "${name}": it is the sole orchestrator (the fleet floor is one orchestrator and one enhancer)`;
  }
  if (target.class === ENHANCER && countClass(rest, ENHANCER) === 0) {
    return `refusing to remove "${name}": it is the sole enhancer (the fleet floor is one orchestrator and one enhancer)`;
  }
  return null;
}
