/**
 * Starts of one agent are serialised (run/<name>.start.lock, lib/launch/agent.ts): `fleet up`
 * run several times at once — or beside fleetd's supervisor — starts each agent exactly once,
 * and the others report it running instead of failing with tmux's "duplicate session".
 */
import { afterEach, describe, expect, it } from 'vitest';
import { fleetHome } from '../lib/home.js';
import { readLaunchState } from '../lib/run/launch-state.js';
import { testFleet, type TestFleet } from './support/tmux-fleet.js';

let fleet: TestFleet | undefined;
afterEach(() => {
  fleet?.cleanup();
  fleet = undefined;
});

describe('concurrent starts', () => {
  it('start each agent once; the others see it running', async () => {
    const f = testFleet([{ name: 'a' }, { name: 'b' }]);
    fleet = f;
    const runs = await Promise.all(
      [0, 1, 2, 3].map(() => f.run(['up', '--stagger', '0', '--json'])),
    );
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    const results = runs.map(
      (r) => JSON.parse(r.stdout) as { started: string[]; running: string[]; failed: unknown[] },
    );
    expect(results.flatMap((r) => r.failed)).toEqual([]);
    for (const name of ['a', 'b']) {
      expect(results.filter((r) => r.started.includes(name))).toHaveLength(1);
      expect(results.filter((r) => r.running.includes(name))).toHaveLength(3);
      expect(readLaunchState(fleetHome(f.home), name).epoch).toBe(1);
    }
    const sessions = f.tmux(['list-sessions', '-F', '#{session_name}']).split('\n');
    expect(sessions.filter((s) => s === 'a' || s === 'b').sort()).toEqual(['a', 'b']);
  });
});
