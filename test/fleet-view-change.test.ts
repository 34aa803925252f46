/**
 * The panel's fleet snapshot is shared by requests that come together (every open tab reads
 * again on the same pushed change), but never across a change: a page that reads again because
 * fleetd told it something changed must not get a gathering from before that change, or it shows
 * the old state with nothing left to correct it (lib/ops/fleet-view.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createFleetOps } from '@/lib/ops/fleet-view.js';
import type { PauseView } from '@/lib/store/registry-contract.js';
import { bridgeOptions } from './support/terminals.js';
import { testFleet, until, type TestFleet } from './support/tmux-fleet.js';

let fleet: TestFleet | undefined;
afterEach(() => fleet?.cleanup());

const NOT_PAUSED = {
  tenant_id: 'default',
  host: 'here',
  paused: false,
  since: null,
  by: null,
  reason: null,
  drain: false,
  halted: null,
} as unknown as PauseView;

describe('fleet snapshot', () => {
  it('is gathered again once a change was pushed, however soon', async () => {
    fleet = testFleet(
      [
        { name: 'orch', class: 'orchestrator' },
        { name: 'enh', class: 'enhancer' },
        { name: 'w1', class: 'worker' },
      ],
      { interval: 1 },
    );
    expect((await fleet.run(['up'])).code).toBe(0);
    let change = 1;
    const ops = createFleetOps({
      ...bridgeOptions(fleet),
      pause: { get: async () => NOT_PAUSED, set: async () => NOT_PAUSED },
      lastChange: () => change,
    });
    const w1 = async () => (await ops.snapshot()).agents.find((a) => a.name === 'w1');
    await until(async () => (await w1())?.session === 'alive', 'w1 alive', 30_000);

    fleet.tmux(['kill-session', '-t', '=w1']);
    change++; // what fleetd's push channel does when its tick sees the session gone
    expect((await w1())?.session).toBe('missing');
  });
});
