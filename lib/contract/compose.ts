import { AgentNotFound } from '../errors.js';
import type { Role } from '../library/roles.js';
import type { NorthStar } from '../northstar/schema.js';
import type { ResolvedAgent } from '../roster/resolve.js';
import { ORCHESTRATOR } from '../roster/rules.js';
import { byteLength, checkBudget } from './budget.js';
import { commsBody } from './comms.js';
import { dutiesBody, dutiesTitle } from './duties.js';
import type { ContractFleet } from './fleet.js';
import { code } from './markdown.js';
import { overlayText, type ContractOverlays } from './overlays.js';
import { identityBody, missionBody, personaBody, personaFor, personaTitle } from './sections.js';

/**
 * An agent's contract: the Markdown that tells it who it is, what the fleet is for, who its
 * peers are and how to reach them, and what its class may do (docs/contract.md). Pure and
 * deterministic: the caller passes everything already loaded (lib/contract/load.ts), and the
 * same inputs give the same bytes — no clock, no host lookups, roster order throughout.
 */
export interface ContractInput {
  /** the agent whose contract this is */
  agent: string;
  fleet: ContractFleet;
  roles: ReadonlyMap<string, Role>;
  /** the parsed NORTH_STAR.yaml, or null when the fleet has none */
  northStar: NorthStar | null;
  overlays: ContractOverlays;
}

export type SectionId =
  'identity' | 'role' | 'mission' | 'duties' | 'comms' | 'overlay-all' | 'overlay-agent';

export interface ContractSection {
  id: SectionId;
  title: string;
  /** bytes of the section as it appears in the contract, heading included */
  bytes: number;
  /** the overlay file it came from */
  file?: string;
}

export interface Contract {
  agent: string;
  tenant_id: string;
  host: string;
  /** the Markdown, ending in one newline */
  text: string;
  bytes: number;
  sections: ContractSection[];
}

interface Part {
  id: SectionId;
  title: string;
  body: string;
  file?: string;
}

const render = (p: Part) => `## ${p.title}\n\n${p.body}\n`;

function selfIn(fleet: ContractFleet, name: string): ResolvedAgent {
  const self = fleet.agents.find((a) => a.name === name);
  if (!self)
    throw new AgentNotFound(
      name,
      fleet.agents.map((a) => a.name),
    );
  return self;
}

const COMMS_TITLE = 'Fleet comms';

function commsPart(self: ResolvedAgent, fleet: ContractFleet): Part {
  return { id: 'comms', title: COMMS_TITLE, body: commsBody(self, fleet.agents, fleet.socketName) };
}

function overlayParts(self: ResolvedAgent, overlays: ContractOverlays): Part[] {
  const parts: Part[] = [];
  const all = overlayText(overlays.all);
  if (all !== null && overlays.all)
    parts.push({
      id: 'overlay-all',
      title: 'Operator notes for every agent',
      body: all,
      file: overlays.all.file,
    });
  const mine = overlayText(overlays.agent);
  if (mine !== null && overlays.agent)
    parts.push({
      id: 'overlay-agent',
      title: `Operator notes for ${self.name}`,
      body: mine,
      file: overlays.agent.file,
    });
  return parts;
}

function header(self: ResolvedAgent): string {
  return [
    `# Fleet contract: ${self.name}`,
    '',
    `You are ${code(self.name)}, one agent of a Mosaic Fleet. This contract says who you are, what the fleet is for, what your class may do, and who your peers are and how to reach them. It is composed from the fleet's roster, persona library and NORTH_STAR.yaml; ${code(`fleet agent contract ${self.name}`)} prints the current one.`,
    '',
  ].join('\n');
}

export function composeContract(input: ContractInput): Contract {
  const { fleet } = input;
  const self = selfIn(fleet, input.agent);
  const persona = personaFor(self, fleet, input.roles);
  const orchestrator = fleet.agents.find((a) => a.class === ORCHESTRATOR && a.name !== self.name);
  const parts: Part[] = [
    { id: 'identity', title: 'Identity', body: identityBody(self, fleet.socketName, persona) },
    { id: 'role', title: personaTitle(persona), body: personaBody(self, persona) },
    { id: 'mission', title: 'Mission', body: missionBody(self, input.northStar) },
    { id: 'duties', title: dutiesTitle(self), body: dutiesBody(self, orchestrator) },
    commsPart(self, fleet),
    ...overlayParts(self, input.overlays),
  ];
  const rendered = parts.map(render);
  const text = [header(self), ...rendered].join('\n');
  const sections = parts.map((p, i) => ({
    id: p.id,
    title: p.title,
    bytes: byteLength(rendered[i]!),
    ...(p.file ? { file: p.file } : {}),
  }));
  const bytes = byteLength(text);
  checkBudget(
    self.name,
    bytes,
    sections.map((s) => ({ label: s.file ?? s.id, bytes: s.bytes })),
  );
  return { agent: self.name, tenant_id: self.tenantId, host: self.host, text, bytes, sections };
}

/**
 * Only the peers-and-messaging section, byte for byte as it appears in the contract
 * (`fleet comms-block`). It needs no library, mission or overlays, so it cannot fail on them.
 */
export function composeCommsBlock(input: Pick<ContractInput, 'agent' | 'fleet'>): string {
  return render(commsPart(selfIn(input.fleet, input.agent), input.fleet));
}
