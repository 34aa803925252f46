/**
 * Who did what: one agent's timeline (docs/architecture.md "Operations"), one home for `fleet
 * agent timeline`, `/v1/agents/timeline` and the panel's agent page. The facts come from the
 * store (lib/store/agent-events.ts), the spans from the pure rule (lib/timeline/rules.ts).
 *
 * It is also where an agent's own events are recorded: the launcher and the takeover call the
 * sink their composition root gave them (FleetDeps.agentEvents): in fleetd `storeSink`, writing
 * through its services; in a CLI process `socketSink` (cli/fleet-deps.ts), through fleetd's
 * socket, since the CLI never opens the store. A write that fails is logged and never fails the
 * start or the takeover it tells of.
 */
import { FleetError } from '../errors.js';
import type { FleetDeps } from '../fleet/deps.js';
import type { AgentEventStore } from '../store/agent-events.js';
import type { Identity } from '../store/contract.js';
import type {
  AgentEventInput,
  AgentEventSink,
  TimelineInput,
  TimelineView,
} from '../timeline/contract.js';
import { buildTimeline } from '../timeline/rules.js';

/** The default window: the last day. */
export const DEFAULT_SPAN_MS = 24 * 3_600_000;

export interface TimelineDeps {
  identity: Identity;
  events: Pick<AgentEventStore, 'events' | 'cardHistory' | 'waits' | 'record'>;
  now(): Date;
  log(line: string): void;
}

export interface TimelineOps {
  timeline(input: TimelineInput): Promise<TimelineView>;
  record(input: AgentEventInput): Promise<void>;
}

export async function agentTimeline(
  deps: TimelineDeps,
  name: string,
  opts: { since?: string; until?: string; host?: string } = {},
): Promise<TimelineView> {
  const now = deps.now();
  const until = opts.until ? new Date(opts.until) : now;
  const since = opts.since ? new Date(opts.since) : new Date(until.getTime() - DEFAULT_SPAN_MS);
  if (since > until) throw new FleetError('USAGE', 'since: must not be after until');
  const w = { agent: name, host: opts.host ?? deps.identity.host, since, until };
  const [agentEvents, history, items] = await Promise.all([
    deps.events.events(w),
    deps.events.cardHistory(w),
    deps.events.waits(w),
  ]);
  const entries = buildTimeline({
    agent: name,
    host: w.host,
    since: since.toISOString(),
    until: until.toISOString(),
    now: now.toISOString(),
    cardEvents: history.events,
    titles: history.titles,
    items,
    agentEvents,
  });
  return {
    ...deps.identity,
    agent: name,
    agent_host: w.host,
    since: since.toISOString(),
    until: until.toISOString(),
    now: now.toISOString(),
    entries,
  };
}

export function createTimelineOps(deps: TimelineDeps): TimelineOps {
  return {
    timeline: (i) => agentTimeline(deps, i.name, i),
    record: (i) => deps.events.record(i),
  };
}

/** fleetd's sink: straight into the store through its services. */
export function storeSink(
  events: Pick<AgentEventStore, 'record'>,
  log: (line: string) => void,
  unreachable: (e: unknown) => unknown = () => false,
): AgentEventSink {
  return async (e) => {
    try {
      await events.record(e);
    } catch (err) {
      // PostgreSQL being away is said once, by the store (docs/pitfalls.md "PostgreSQL goes away")
      if (!unreachable(err)) log(`timeline: ${describeEvent(e)} not recorded: ${message(err)}`);
    }
  };
}

/**
 * Tell the sink, if the composition root gave one, of an agent event; the time is taken now, by
 * the operation, so the event keeps its place however late it is written.
 */
export async function noteAgentEvent(
  deps: Pick<FleetDeps, 'agentEvents' | 'now' | 'log'>,
  e: Omit<AgentEventInput, 'at'>,
): Promise<void> {
  if (!deps.agentEvents) return;
  try {
    await deps.agentEvents({ ...e, at: new Date(deps.now()).toISOString() });
  } catch (err) {
    // a sink must not throw; if one does, the operation still stands
    deps.log(`timeline: ${describeEvent(e)} not recorded: ${message(err)}`);
  }
}

const message = (e: unknown): string =>
  (e instanceof Error ? e.message : String(e)).split('\n')[0]!;

export const describeEvent = (e: Pick<AgentEventInput, 'agent' | 'kind' | 'epoch'>): string =>
  `${e.kind} of ${e.agent}${e.epoch ? ` (epoch ${e.epoch})` : ''}`;
