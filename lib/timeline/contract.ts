/**
 * The timeline's wire contract for every edge (fleetd's socket, the panel's JSON route, the
 * CLI): what a timeline asks for, what an agent event says, and the view that answers.
 */
import { z } from 'zod';
import { findControlChar } from '../control-chars.js';
import { AGENT_NAME_RE, AGENT_NAME_RULE } from '../names.js';
import type { Identity } from '../store/contract.js';
import type { TimelineEntry } from './rules.js';
import { START_REASONS } from './rules.js';

const agentName = z.string().regex(AGENT_NAME_RE, AGENT_NAME_RULE);
const label = z
  .string()
  .trim()
  .min(1)
  .max(200)
  // a label is printed by the CLI and the panel: no control characters at all
  .refine((s) => findControlChar(s, '') === null, 'one line of printable text only');
const when = z.iso.datetime({ offset: true });

/** One agent's timeline over [since, until] (defaults: the last 24 hours, until now). */
export const timelineInput = z
  .strictObject({
    name: agentName,
    since: when.optional(),
    until: when.optional(),
    /** the host the agent runs on; default the host of the fleetd that answers */
    host: label.optional(),
  })
  .refine((i) => !i.since || !i.until || Date.parse(i.since) <= Date.parse(i.until), {
    path: ['since'],
    message: 'since must not be after until',
  });

/** What the launcher and the takeover write (lib/launch/agent.ts, lib/ops/takeover.ts). */
export const agentEventInput = z.strictObject({
  agent: agentName,
  kind: z.enum(['started', 'takeover', 'released']),
  epoch: z.int().min(0).nullable().optional(),
  reason: z.enum(START_REASONS).nullable().optional(),
  actor: label,
  detail: z.record(z.string(), z.union([z.string().max(500), z.number(), z.boolean()])).optional(),
  at: when.optional(),
});

export type TimelineInput = z.infer<typeof timelineInput>;
export type AgentEventInput = z.infer<typeof agentEventInput>;

export interface TimelineView extends Identity {
  agent: string;
  /** the host the agent runs on */
  agent_host: string;
  since: string;
  until: string;
  /** what "open" spans end at */
  now: string;
  entries: TimelineEntry[];
}

/** Where an agent's starts, takeovers and releases go. Never throws: a failed write is logged. */
export type AgentEventSink = (e: AgentEventInput) => Promise<void>;
