import os from 'node:os';
import { expandHome } from '../home.js';
import {
  DEFAULT_RESTART_POLICY,
  type RestartPolicy,
  type Roster,
  type RosterAgent,
} from './schema.js';

export const DEFAULT_TENANT = 'default';
const DEFAULT_HEARTBEAT_INTERVAL_SECONDS = 15;

/** One agent's launch config with every default and alias applied. Pure. */
export interface ResolvedAgent {
  name: string;
  class: string;
  role?: string;
  /** friendly name for presentation; `name` stays the address */
  alias?: string;
  runtime: string;
  model?: string;
  yolo: boolean;
  /** launch command override as argv, when the roster (agent or custom runtime) gives one */
  command?: string[];
  channels: string[];
  workingDirectory: string;
  resetBetweenTasks: boolean;
  /**
   * a restart reopens the runtime's conversation (docs/runtimes.md "Resume"): the permanent
   * seats do by default, an agent reset between tasks starts fresh
   */
  resume: boolean;
  resetCommand?: string;
  persistentPersona: boolean;
  enabled: boolean;
  tenantId: string;
  host: string;
  ssh?: string;
  env: Record<string, string>;
  restart: RestartPolicy;
  heartbeatIntervalSeconds: number;
  binDir?: string;
}

/** Split a command string into words like a shell would quote them — but it is never run by one. */
export function splitCommand(cmd: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote: '"' | "'" | null = null;
  let has = false;
  for (let i = 0; i < cmd.length; i++) {
    const ch = cmd[i]!;
    if (quote) {
      if (ch === quote) quote = null;
      else if (ch === '\\' && quote === '"' && i + 1 < cmd.length) cur += cmd[++i];
      else cur += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      has = true;
    } else if (ch === '\\' && i + 1 < cmd.length) {
      cur += cmd[++i];
      has = true;
    } else if (/\s/.test(ch)) {
      if (has || cur) out.push(cur);
      cur = '';
      has = false;
    } else {
      cur += ch;
      has = true;
    }
  }
  if (quote) throw new Error(`unterminated ${quote} quote in command: ${cmd}`);
  if (has || cur) out.push(cur);
  return out;
}

function commandArgv(cmd: string | string[] | undefined): string[] | undefined {
  if (cmd === undefined) return undefined;
  return Array.isArray(cmd) ? [...cmd] : splitCommand(cmd);
}

export function resolveAgent(
  roster: Roster,
  agent: RosterAgent,
  localHost = os.hostname(),
): ResolvedAgent {
  const runtime = (agent.runtime ?? agent.harness)!;
  const rtConfig = roster.runtimes[runtime];
  const wd = agent.working_directory ?? roster.defaults.working_directory ?? '~';
  return {
    name: agent.name,
    class: agent.class,
    role: agent.role,
    alias: agent.alias,
    runtime,
    model: agent.model ?? agent.model_hint,
    yolo: agent.yolo ?? roster.defaults.yolo ?? false,
    command: commandArgv(agent.command) ?? commandArgv(rtConfig?.command),
    channels: agent.channels ?? [],
    workingDirectory: expandHome(wd),
    resetBetweenTasks: agent.reset_between_tasks ?? false,
    resume: agent.resume ?? roster.defaults.resume ?? !(agent.reset_between_tasks ?? false),
    resetCommand: rtConfig?.reset_command,
    persistentPersona: agent.persistent_persona ?? false,
    enabled: agent.enabled ?? true,
    tenantId: agent.tenant_id ?? roster.tenant_id ?? DEFAULT_TENANT,
    host: agent.host ?? localHost,
    ssh: agent.ssh,
    env: agent.env ?? {},
    restart: { ...DEFAULT_RESTART_POLICY, ...roster.defaults.restart, ...agent.restart },
    heartbeatIntervalSeconds:
      roster.defaults.heartbeat_interval_seconds ?? DEFAULT_HEARTBEAT_INTERVAL_SECONDS,
    binDir: rtConfig?.bin_dir ? expandHome(rtConfig.bin_dir) : undefined,
  };
}

export function resolveAll(roster: Roster, localHost = os.hostname()): ResolvedAgent[] {
  return roster.agents.map((a) => resolveAgent(roster, a, localHost));
}
