/**
 * Editing the roster, one home for the CLI (`fleet agent add|remove`), the panel's forms and
 * (through the CLI) the orchestrator agent: load once, change the yaml Document (comments and
 * layout kept), validate the whole result, check that nobody else wrote the file since it was
 * read (the caller's hash, or the one just loaded), write atomically, and regenerate the agents'
 * env files — pruning the file of an agent that left (docs/architecture.md "Operations").
 */
import type { Document } from 'yaml';
import { RosterConflict } from '../errors.js';
import type { FleetDeps } from '../fleet/deps.js';
import type { FleetHome } from '../home.js';
import { stopAgent } from '../launch/agent.js';
import { removeAgentRunFiles } from '../run/agent-files.js';
import { loadRoster, type LoadedRoster } from '../roster/load.js';
import type { RosterAgent } from '../roster/schema.js';
import {
  saveRoster,
  withAgentAdded,
  withAgentFields,
  withAgentRemoved,
  writeAgentEnvFiles,
} from '../roster/write.js';
import { changedFields, type AgentFields } from '../web/roster-form.js';

export interface RosterEdit {
  /** the roster's hash after the edit: what the next edit must carry */
  hash: string;
  /** the agents (add, remove) or fields (save) that changed; empty when nothing did */
  changed: string[];
  /** env files regenerated; a running agent picks a change up when restarted */
  envFiles: string[];
}

/**
 * Apply one change. `expectedHash` is what the caller's view was built from (the panel's form);
 * without it the check is against the roster as loaded here (the CLI).
 */
function editRoster(
  home: FleetHome,
  expectedHash: string | undefined,
  change: (loaded: LoadedRoster) => { doc: Document; changed: string[] } | null,
): RosterEdit {
  const loaded = loadRoster(home.roster);
  if (expectedHash !== undefined && loaded.hash !== expectedHash)
    throw new RosterConflict(home.roster);
  const edit = change(loaded);
  if (!edit) return { hash: loaded.hash, changed: [], envFiles: [] };
  const next = saveRoster(loaded, edit.doc);
  return { hash: next.hash, changed: edit.changed, envFiles: writeAgentEnvFiles(home, next) };
}

export type NewAgent = RosterAgent;

export function addAgent(home: FleetHome, agent: NewAgent, expectedHash?: string): RosterEdit {
  // `yolo: false` is the default: leave it out rather than write noise
  const a = { ...agent, yolo: agent.yolo ? true : undefined };
  return editRoster(home, expectedHash, (l) => ({
    doc: withAgentAdded(l, a),
    changed: [agent.name],
  }));
}

/**
 * Take an agent out of the roster only (the floor rules hold). `retireAgent` is the whole
 * removal that the CLI and the panel use.
 */
export function removeAgent(home: FleetHome, name: string, expectedHash?: string): RosterEdit {
  return editRoster(home, expectedHash, (l) => ({
    doc: withAgentRemoved(l, name),
    changed: [name],
  }));
}

/** Set an agent's launch fields; only those that differ from the roster are written. */
export function setAgentFields(
  home: FleetHome,
  name: string,
  fields: AgentFields,
  expectedHash?: string,
): RosterEdit {
  return editRoster(home, expectedHash, (l) => {
    const current = l.roster.agents.find((a) => a.name === name);
    const changes = current ? changedFields(current, fields) : fields;
    if (current && Object.keys(changes).length === 0) return null;
    return { doc: withAgentFields(l, name, changes), changed: Object.keys(changes) };
  });
}

export interface Retired extends RosterEdit {
  /** a live session was stopped */
  stopped: boolean;
  /** run/ files removed (heartbeat, launch state, queue…) */
  runFiles: string[];
}

/**
 * Remove an agent from the fleet, for `fleet agent remove` and the panel alike: out of the
 * roster first (so fleetd does not start it again), then its session is stopped and its env and
 * run/ files removed. A card it held is taken back by fleetd's supervisor on its next tick, as
 * for any agent that left the roster.
 */
export async function retireAgent(
  deps: FleetDeps,
  name: string,
  expectedHash?: string,
): Promise<Retired> {
  const edit = removeAgent(deps.home, name, expectedHash);
  const stopped = await stopAgent(deps, name);
  return { ...edit, stopped, runFiles: removeAgentRunFiles(deps.home, name) };
}
