/**
 * The roster as the panel's forms show it: each agent's form values, the runtimes to pick from,
 * and the hash an edit must carry (edits go through lib/ops/roster.ts, which checks it).
 */
import { loadRoster, type LoadedRoster } from '../roster/load.js';
import { listRuntimes } from '../runtimes/registry.js';
import { formValues, type AgentFormValues } from '../web/roster-form.js';

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

function runtimeOptions(loaded: LoadedRoster): RuntimeOption[] {
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
