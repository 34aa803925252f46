/**
 * Fixtures for tests that attach tmux clients the way the panel's terminal bridge does: the
 * bridge's options for a test fleet, PTYs that are all killed after each test, and a fleet
 * whose stubs are up and at their prompt.
 */
import os from 'node:os';
import * as pty from 'node-pty';
import { expect } from 'vitest';
import { fleetHome } from '@/lib/home.js';
import type { FleetStateOptions } from '@/lib/ops/fleet-view.js';
import { until, type TestFleet } from './tmux-fleet.js';

/** What fleetd hands the bridge; fleetd's own environment, of which only an allowlist passes. */
export function bridgeOptions(f: TestFleet): FleetStateOptions {
  const unused = () => Promise.reject(new Error('pause is not used by the terminal bridge'));
  return {
    home: fleetHome(f.home),
    env: { PATH: process.env.PATH, HOME: process.env.HOME, TMUX_TMPDIR: f.tmpdir },
    host: os.hostname(),
    pause: { get: unused, set: unused },
    log: () => {},
  };
}

/** PTYs of one test file: `spawn` them, `killAll` in afterEach. */
export function ptys() {
  const open: pty.IPty[] = [];
  return {
    spawn(argv: string[], env: Record<string, string | undefined>, size = { cols: 100, rows: 30 }) {
      const t = pty.spawn(argv[0]!, argv.slice(1), {
        ...size,
        env: Object.fromEntries(
          Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined),
        ),
        cwd: os.homedir(),
      });
      open.push(t);
      return t;
    },
    killAll() {
      for (const t of open.splice(0)) {
        try {
          t.kill();
        } catch {
          // already gone
        }
      }
    },
  };
}

/** `fleet up`, then wait until every stub is available at its prompt. */
export async function upAndAvailable(f: TestFleet, count: number): Promise<void> {
  expect((await f.run(['up', '--stagger', '0'])).code).toBe(0);
  await until(async () => {
    const ps = JSON.parse((await f.run(['ps', '--json'])).stdout) as {
      agents: { readiness: string }[];
    };
    return ps.agents.length === count && ps.agents.every((r) => r.readiness === 'available');
  }, 'stubs available');
}
