import { describe, expect, it } from 'vitest';
import { EMPTY_STATE } from '../run/launch-state.js';
import { resolveAll } from '../roster/resolve.js';
import { rosterSchema } from '../roster/schema.js';
import type { PaneInfo } from '../tmux/panes.js';
import { psRows, type AgentFacts, type PsInput } from './ps.js';

const NOW = 1_700_000_100_000;
const roster = rosterSchema.parse({
  version: 2,
  tenant_id: 't1',
  defaults: { heartbeat_interval_seconds: 10 },
  agents: [
    { name: 'orch', runtime: 'stub', class: 'orchestrator' },
    { name: 'canary-pi', runtime: 'pi', class: 'enhancer', model: 'm' },
    { name: 'gone', runtime: 'stub', class: 'implementer' },
  ],
});

const pane = (session: string, over: Partial<PaneInfo> = {}): PaneInfo => ({
  session,
  windowIndex: 0,
  paneIndex: 0,
  pid: 100,
  dead: false,
  deadStatus: null,
  activity: NOW / 1000 - 4,
  created: NOW / 1000 - 60,
  attached: 0,
  inMode: false,
  epoch: 2,
  runtime: 'stub',
  currentCommand: 'node',
  ...over,
});

function input(
  over: Partial<PsInput> = {},
  facts: Record<string, Partial<AgentFacts>> = {},
): PsInput {
  return {
    agents: resolveAll(roster, 'h1'),
    panes: [
      pane('orch', { pid: 11 }),
      pane('canary-pi', { pid: 12 }),
      pane('_holder', { pid: 1 }),
      pane('stray', { pid: 13 }),
    ],
    holderSession: '_holder',
    tenantId: 't1',
    host: 'h1',
    nowMs: NOW,
    facts: (n) => ({
      heartbeat: null,
      hook: null,
      state: { ...EMPTY_STATE, restarts: n === 'orch' ? 3 : 0 },
      takeover: null,
      ...facts[n],
    }),
    procArgv: (pid) =>
      pid === 12 ? ['python3', 'dogfood-agent.py'] : ['node', '/fw/framework/stub/agent.mjs'],
    boot: { units: [], linger: 'no', warning: 'linger is off' },
    fleetdRunning: true,
    ...over,
  };
}

describe('psRows', () => {
  it('has one row per roster agent, then unmanaged sessions, never the placeholder', () => {
    const rows = psRows(input());
    expect(rows.map((r) => [r.name, r.managed, r.session])).toEqual([
      ['orch', true, 'alive'],
      ['canary-pi', true, 'alive'],
      ['gone', true, 'missing'],
      ['stray', false, 'alive'],
    ]);
    for (const r of rows)
      expect(r).toMatchObject({ tenant_id: 't1', host: 'h1', boot_warning: 'linger is off' });
  });

  it('flags drift when the roster runtime is not what runs in the pane', () => {
    const rows = psRows(input());
    expect(rows[0]).toMatchObject({ drift: false, detected_runtime: 'stub' });
    expect(rows[1]).toMatchObject({
      drift: true,
      detected_runtime: null,
      runtime: 'pi',
      model: 'm',
    });
    expect(rows[2]!.drift).toBeNull();
  });

  it('joins heartbeat, output age, restarts and readiness', () => {
    const hb = { ts: NOW - 2000, pid: 11, status: 'busy' as const, epoch: 2 };
    const rows = psRows(input({}, { orch: { heartbeat: hb, takeover: 'ops@h1 since x' } }));
    expect(rows[0]).toMatchObject({
      pane_pid: 11,
      last_output_age_s: 4,
      heartbeat_age_s: 2,
      heartbeat_status: 'busy',
      health: 'healthy',
      readiness: 'working',
      restarts: 3,
      epoch: 2,
      takeover: 'ops@h1 since x',
    });
    expect(rows[1]!.readiness).toBe('unknown');
    expect(rows[2]!.readiness).toBe('dead');
  });

  it('says whose heartbeat it is, and calls a screen-read agent unknown while fleetd is down', () => {
    const hb = { ts: NOW - 2000, pid: 12, status: 'idle' as const, epoch: 2, src: 'fleetd' };
    const up = psRows(input({}, { 'canary-pi': { heartbeat: hb } }));
    expect(up.map((r) => r.heartbeat_by)).toEqual(['runtime', 'fleetd', 'runtime', null]);
    expect(up[1]).toMatchObject({ readiness: 'available', health: 'healthy' });
    // the same file with fleetd stopped: nobody reads the screen, so it vouches for nothing,
    // and the agent is neither available nor dead
    const down = psRows(input({ fleetdRunning: false }, { 'canary-pi': { heartbeat: hb } }));
    expect(down[1]).toMatchObject({ session: 'alive', readiness: 'unknown' });
    // a runtime that writes its own heartbeat does not need fleetd
    const orchHb = { ts: NOW - 2000, pid: 11, status: 'busy' as const, epoch: 2 };
    const self = psRows(input({ fleetdRunning: false }, { orch: { heartbeat: orchHb } }));
    expect(self[0]!.readiness).toBe('working');
    // a dead pane is dead whoever writes its heartbeat
    const dead = psRows(
      input({ fleetdRunning: false, panes: [pane('canary-pi', { dead: true, deadStatus: 1 })] }),
    );
    expect(dead[1]!.readiness).toBe('dead');
  });

  it('shows a dead pane with its exit status', () => {
    const rows = psRows(input({ panes: [pane('orch', { dead: true, deadStatus: 137 })] }));
    expect(rows[0]).toMatchObject({
      session: 'dead',
      readiness: 'dead',
      exit_status: 137,
      drift: null,
    });
  });
});
