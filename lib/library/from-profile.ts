import { Document } from 'yaml';
import { ROSTER_VERSION, type RosterInput } from '../roster/schema.js';
import { ENHANCER, ORCHESTRATOR } from '../roster/rules.js';
import type { Role } from './roles.js';
import type { Profile } from './profiles.js';

export interface FromProfileOptions {
  /** runtime for every seat (default claude) */
  runtime?: string;
  socketName?: string;
  workingDirectory?: string;
}

const seatName = (cls: string, i: number, n: number) => (n > 1 ? `${cls}${i}` : cls).slice(0, 48);

/**
 * One agent per seat (numbered where multiplicity > 1). The lead seat is the orchestrator;
 * an enhancer is added when the profile has none, so the two-agent floor always holds. Pure.
 */
export function rosterFromProfile(
  profile: Profile,
  roles: ReadonlyMap<string, Role>,
  opts: FromProfileOptions = {},
): RosterInput {
  const runtime = opts.runtime ?? 'claude';
  const agents: RosterInput['agents'] = [];
  const hasEnhancer = profile.roster.some((r) => r.class === ENHANCER);
  for (const seat of profile.roster) {
    const n = seat.multiplicity ?? 1;
    const isLead = seat.class === profile.lead;
    const persistent =
      isLead || profile.floor.includes(seat.class) || roles.get(seat.class)?.persistent === true;
    for (let i = 0; i < n; i++) {
      agents.push({
        name: isLead ? ORCHESTRATOR : seatName(seat.class, i, n),
        runtime,
        class: isLead ? ORCHESTRATOR : seat.class,
        role: seat.class,
        ...(persistent ? { persistent_persona: true } : { reset_between_tasks: true }),
      });
    }
  }
  if (!hasEnhancer) {
    agents.splice(1, 0, {
      name: ENHANCER,
      runtime,
      class: ENHANCER,
      role: ENHANCER,
      persistent_persona: true,
    });
  }
  return {
    version: ROSTER_VERSION,
    transport: 'tmux',
    tmux: { socket_name: opts.socketName ?? 'mosaic-fleet', holder_session: '_holder' },
    defaults: { working_directory: opts.workingDirectory ?? '~' },
    runtimes: {},
    agents,
  };
}

export function rosterYaml(input: RosterInput, comment: string): string {
  const doc = new Document(input);
  doc.commentBefore = ` ${comment}`;
  return doc.toString();
}
