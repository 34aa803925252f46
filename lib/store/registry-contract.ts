/** Wire contract for the agent registry, heartbeats and fleet flags (see contract.ts). */
import { z } from 'zod';
import { AGENT_NAME_RE, AGENT_NAME_RULE } from '../names.js';
import type { Identity } from './contract.js';

const agentName = z.string().regex(AGENT_NAME_RE, AGENT_NAME_RULE);
const label = z.string().trim().min(1).max(200);
const statusObject = z.record(z.string(), z.unknown());

export const registerAgentInput = z.strictObject({
  name: agentName,
  host: label.optional(),
  runtime: label,
  class: label,
  state: label.optional(),
  pid: z.int().min(1).nullable().optional(),
  status: statusObject.optional(),
});

/** A new incarnation: the epoch goes up and reports from older ones stop counting. */
export const spawnAgentInput = z.strictObject({
  name: agentName,
  host: label.optional(),
  runtime: label.optional(),
  class: label.optional(),
  pid: z.int().min(1).nullable().optional(),
});

export const heartbeatInput = z.strictObject({
  name: agentName,
  host: label.optional(),
  spawn_epoch: z.int().min(0),
  state: label.optional(),
  pid: z.int().min(1).nullable().optional(),
  status: statusObject.optional(),
});

export const listAgentsInput = z.strictObject({ host: label.optional() });

const flagName = z
  .string()
  .regex(/^[a-z][a-z0-9_.-]{0,63}$/, 'must match ^[a-z][a-z0-9_.-]{0,63}$');
export const getFlagInput = z.strictObject({ name: flagName });
export const setFlagInput = z.strictObject({ name: flagName, value: statusObject, by: label });
export const setPauseInput = z.strictObject({
  paused: z.boolean(),
  by: label,
  reason: z.string().trim().min(1).max(2000).optional(),
});

export type RegisterAgentInput = z.infer<typeof registerAgentInput>;
export type SpawnAgentInput = z.infer<typeof spawnAgentInput>;
export type HeartbeatInput = z.infer<typeof heartbeatInput>;
export type ListAgentsInput = z.infer<typeof listAgentsInput>;
export type SetFlagInput = z.infer<typeof setFlagInput>;
export type SetPauseInput = z.infer<typeof setPauseInput>;

export interface AgentView extends Identity {
  name: string;
  runtime: string;
  class: string;
  state: string;
  spawn_epoch: number;
  pid: number | null;
  last_heartbeat_at: string | null;
  status: Record<string, unknown>;
  created_at: string;
  updated_at: string;
}

export interface HeartbeatResult {
  /** false when the report came from an older incarnation (its epoch is behind) */
  accepted: boolean;
  reason?: string;
  agent: AgentView;
}

export interface FlagView extends Identity {
  name: string;
  value: Record<string, unknown>;
  set_by: string;
  updated_at: string;
}

export interface PauseState extends Identity {
  paused: boolean;
  since: string | null;
  by: string | null;
  reason: string | null;
}

/** PAUSE as every edge shows it: the flag, plus the supervisor's recovery halt on this host. */
export interface PauseView extends PauseState {
  /** why recovery is halted (repeated auth-like failures), or null; `resume` lifts it */
  halted: string | null;
}
