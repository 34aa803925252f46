import { RosterInvalid } from '../errors.js';
import type { Role } from '../library/roles.js';
import type { NorthStar } from '../northstar/schema.js';
import type { ResolvedAgent } from '../roster/resolve.js';
import { ENHANCER, ORCHESTRATOR } from '../roster/rules.js';
import type { ContractFleet } from './fleet.js';
import { code, flat, prose, table } from './markdown.js';

/** The identity, role and mission sections of a contract (docs/contract.md "Layout"). Pure. */

export function identityBody(self: ResolvedAgent, socket: string, persona: Persona): string {
  const role = self.role
    ? `${self.role} (${persona.role?.title ?? self.role})`
    : persona.role
      ? `none set: your role below is the library's one for your class, ${persona.role.class}`
      : 'none set';
  const alias: [string, string][] = self.alias ? [['alias', self.alias]] : [];
  const rows: [string, string][] = [
    ['name', `${code(self.name)}: the name the fleet and your peers address you by`],
    ...alias,
    ['class', self.class],
    ['role', role],
    ['host', self.host],
    ['tenant', self.tenantId],
    ['tmux', `session ${code(self.name)} on socket ${code(socket)}`],
    [
      'between cards',
      self.resetBetweenTasks
        ? 'your conversation is cleared (`reset_between_tasks`)'
        : 'your conversation is kept',
    ],
  ];
  return table(['field', 'value'], rows);
}

export interface Persona {
  role: Role | null;
}

/**
 * The agent's persona: its `role`, or else the library role named like its class. A `role` the
 * library does not have is an error in the roster, located where the role is written.
 */
export function personaFor(
  self: ResolvedAgent,
  fleet: ContractFleet,
  roles: ReadonlyMap<string, Role>,
): Persona {
  if (!self.role) return { role: roles.get(self.class) ?? null };
  const role = roles.get(self.role);
  if (role) return { role };
  const at = fleet.roleAt.get(self.name) ?? { line: 1, column: 1 };
  const index = fleet.agents.findIndex((a) => a.name === self.name);
  throw new RosterInvalid([
    {
      file: fleet.file,
      ...at,
      path: `agents[${index}].role`,
      message: `agent "${self.name}": role ${JSON.stringify(self.role)} is not in the persona library (fleet roles list shows the roles)`,
    },
  ]);
}

export function personaTitle(p: Persona): string {
  return p.role ? `Your role: ${flat(p.role.title)}` : 'Your role';
}

export function personaBody(self: ResolvedAgent, p: Persona): string {
  if (!p.role) {
    return `The roster gives you no role, and the persona library has no persona for your class, ${code(self.class)}: work within your class's duties below. An operator can give you one with \`role:\` in the roster (\`fleet roles list\` shows the library).`;
  }
  const r = p.role;
  return [
    `${code(r.class)} from the persona library: ${prose(r.summary)}`,
    '',
    '### Mandate',
    '',
    prose(r.mandate),
    '',
    '### Boundaries',
    '',
    prose(r.boundaries),
    '',
    '### Persona',
    '',
    prose(r.persona),
  ].join('\n');
}

const items = (list: readonly { id: string; text: string }[]) =>
  list.map((x) => `- **${flat(x.id)}** — ${flat(x.text)}`);

/** Whether this class plans with the goals themselves; workers get them one card at a time. */
const seesGoals = (self: ResolvedAgent) => self.class === ORCHESTRATOR || self.class === ENHANCER;

function goalsPart(ns: NorthStar): string[] {
  if (!ns.goals.length) return [];
  const rows = ns.goals.map((g) => [
    flat(g.id),
    flat(g.title),
    String(g.priority),
    g.depends_on.length ? g.depends_on.join(', ') : '',
  ]);
  return [
    '',
    '### Goals',
    '',
    'Each goal becomes a backlog card with the same id (`fleet plan`).',
    '',
    table(['id', 'title', 'priority', 'depends on'], rows),
  ];
}

export function missionBody(self: ResolvedAgent, ns: NorthStar | null): string {
  if (!ns) {
    return self.class === ORCHESTRATOR
      ? 'This fleet has no NORTH_STAR.yaml yet, so no mission is recorded. Setting one is yours to do: write it in FLEET_HOME, check it with `fleet northstar validate`, then `fleet plan`.'
      : 'This fleet has no NORTH_STAR.yaml yet, so no mission is recorded: the orchestrator sets the direction.';
  }
  const out = [prose(ns.mission)];
  if (ns.standing_objectives.length)
    out.push('', '### Standing objectives', '', ...items(ns.standing_objectives));
  if (ns.success_criteria.length)
    out.push('', '### Success criteria', '', ...items(ns.success_criteria));
  if (seesGoals(self)) out.push(...goalsPart(ns));
  else
    out.push(
      '',
      'Its goals reach you as backlog cards; `fleet northstar render --out -` shows them all.',
    );
  return out.join('\n');
}
