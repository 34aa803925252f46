/**
 * Roster edits from the web panel, through the same lib the CLI uses (lib/roster/write.ts):
 * comments and formatting kept (yaml Document API), the whole roster re-validated before
 * anything is written, and the hash the form loaded checked so that a concurrent edit is
 * reported (RosterConflict), never overwritten.
 */
import { RosterConflict } from '../errors.js';
import { loadRoster, type LoadedRoster } from '../roster/load.js';
import type { RosterAgent } from '../roster/schema.js';
import { saveRoster, withAgentAdded, withAgentFields, withAgentRemoved } from '../roster/write.js';
import { listRuntimes } from '../runtimes/registry.js';
import {
  changedFields,
  formValues,
  type AgentFields,
  type AgentFormValues,
} from './roster-form.js';

export interface RuntimeOption {
  id: string;
  title: string;
  supportsModel: boolean;
  supportsYolo: boolean;
  supportsChannels: boolean;
}

export interface RosterAgentView {
  name: string;
  class: string;
  role: string | null;
  enabled: boolean;
  values: AgentFormValues;
}

export interface RosterView {
  file: string;
  hash: string;
  agents: RosterAgentView[];
  runtimes: RuntimeOption[];
}

export function runtimeOptions(loaded: LoadedRoster): RuntimeOption[] {
  const shipped = listRuntimes().map((r) => ({
    id: r.id,
    title: r.title,
    supportsModel: r.supportsModel,
    supportsYolo: r.supportsYolo,
    supportsChannels: r.supportsChannels,
  }));
  const custom = Object.entries(loaded.roster.runtimes)
    .filter(([id, cfg]) => cfg.command && !shipped.some((s) => s.id === id))
    .map(([id]) => ({
      id,
      title: `${id} (custom)`,
      supportsModel: true,
      supportsYolo: true,
      supportsChannels: true,
    }));
  return [...shipped, ...custom];
}

export function rosterView(file: string): RosterView {
  const loaded = loadRoster(file);
  return {
    file,
    hash: loaded.hash,
    agents: loaded.roster.agents.map((a) => ({
      name: a.name,
      class: a.class,
      role: a.role ?? null,
      enabled: a.enabled ?? true,
      values: formValues(a),
    })),
    runtimes: runtimeOptions(loaded),
  };
}

function loadAt(file: string, hash: string): LoadedRoster {
  const loaded = loadRoster(file);
  if (loaded.hash !== hash) throw new RosterConflict(file);
  return loaded;
}

export interface EditResult {
  hash: string;
  changed: string[];
}

export function saveAgentFields(
  file: string,
  hash: string,
  name: string,
  fields: AgentFields,
): EditResult {
  const loaded = loadAt(file, hash);
  const current = loaded.roster.agents.find((a) => a.name === name);
  const changes = current ? changedFields(current, fields) : fields;
  if (current && Object.keys(changes).length === 0) return { hash, changed: [] };
  const next = saveRoster(loaded, withAgentFields(loaded, name, changes));
  return { hash: next.hash, changed: Object.keys(changes) };
}

export function addAgent(
  file: string,
  hash: string,
  agent: Pick<RosterAgent, 'name' | 'class' | 'role'> & AgentFields,
): EditResult {
  const loaded = loadAt(file, hash);
  // `yolo: false` is the default: leave it out rather than write noise
  const next = saveRoster(
    loaded,
    withAgentAdded(loaded, { ...agent, yolo: agent.yolo ? true : undefined }),
  );
  return { hash: next.hash, changed: [agent.name] };
}

export function removeAgent(file: string, hash: string, name: string): EditResult {
  const loaded = loadAt(file, hash);
  const next = saveRoster(loaded, withAgentRemoved(loaded, name));
  return { hash: next.hash, changed: [name] };
}
