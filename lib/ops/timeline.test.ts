import { describe, expect, it } from 'vitest';
import type { AgentEventInput } from '../timeline/contract.js';
import { agentTimeline, noteAgentEvent, storeSink } from './timeline.js';

const event = {
  agent: 'w1',
  kind: 'started',
  epoch: 3,
  reason: 'crash',
  actor: 'supervisor',
} satisfies Omit<AgentEventInput, 'at'>;

describe('recording an agent event', () => {
  it('stamps it with the operation’s time and hands it to the sink', async () => {
    const got: AgentEventInput[] = [];
    const sink = async (e: AgentEventInput) => {
      got.push(e);
    };
    await noteAgentEvent(
      { agentEvents: sink, now: () => Date.UTC(2026, 0, 1), log: () => {} },
      event,
    );
    expect(got).toEqual([{ ...event, at: '2026-01-01T00:00:00.000Z' }]);
  });

  it('never fails the operation: a store that throws is one log line', async () => {
    const lines: string[] = [];
    const sink = storeSink(
      { record: () => Promise.reject(new Error('disk full\nsecond line')) },
      (l) => lines.push(l),
    );
    await expect(sink({ ...event, at: '2026-01-01T00:00:00.000Z' })).resolves.toBeUndefined();
    expect(lines).toEqual(['timeline: started of w1 (epoch 3) not recorded: disk full']);
    // the store being away is said once, by the store: not here
    const quiet: string[] = [];
    await storeSink(
      { record: () => Promise.reject(new Error('ECONNREFUSED')) },
      (l) => quiet.push(l),
      () => true,
    )({ ...event });
    expect(quiet).toEqual([]);
    // even a sink that breaks its promise and throws
    const logged: string[] = [];
    await noteAgentEvent(
      {
        agentEvents: () => Promise.reject(new Error('boom')),
        now: () => 0,
        log: (l) => logged.push(l),
      },
      event,
    );
    expect(logged).toEqual(['timeline: started of w1 (epoch 3) not recorded: boom']);
    // no sink, nothing to do
    await noteAgentEvent({ now: () => 0, log: () => {} }, event);
  });
});

describe('agentTimeline', () => {
  const empty = {
    events: async () => [],
    cardHistory: async () => ({ events: [], titles: new Map<string, string>() }),
    waits: async () => [],
    record: async () => {},
  };
  const deps = {
    identity: { tenant_id: 't', host: 'h1' },
    events: empty,
    now: () => new Date('2026-01-02T00:00:00.000Z'),
    log: () => {},
  };

  it('defaults to the last day on this host', async () => {
    const seen: unknown[] = [];
    const events = async (w: unknown) => {
      seen.push(w);
      return [];
    };
    const v = await agentTimeline({ ...deps, events: { ...empty, events } }, 'w1');
    expect(v).toMatchObject({
      tenant_id: 't',
      host: 'h1',
      agent: 'w1',
      agent_host: 'h1',
      since: '2026-01-01T00:00:00.000Z',
      until: '2026-01-02T00:00:00.000Z',
      entries: [],
    });
    expect(seen).toEqual([
      {
        agent: 'w1',
        host: 'h1',
        since: new Date('2026-01-01T00:00:00.000Z'),
        until: new Date('2026-01-02T00:00:00.000Z'),
      },
    ]);
  });

  it('refuses a window that ends before it begins', async () => {
    await expect(
      agentTimeline(deps, 'w1', { since: '2026-01-02T00:00:00Z', until: '2026-01-01T00:00:00Z' }),
    ).rejects.toThrow(/since/);
  });
});
