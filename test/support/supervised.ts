import { cpSync } from 'node:fs';
import { inject } from 'vitest';
import { FleetdClient } from '@/lib/client/fleetd.js';
import { fleetHome } from '@/lib/home.js';
import { startFleetd, type Fleetd } from '@/server/fleetd.js';
import {
  acceptanceGuard,
  supervisorComponent,
  type SupervisorConfig,
} from '@/server/supervisor/component.js';
import type { Supervisor } from '@/server/supervisor/supervisor.js';
import { FLEET_BIN } from './fleet-cli.js';
import { testFleet, type AgentSpec, type TestFleet } from './tmux-fleet.js';

/**
 * fleetd in this process with the supervisor driving a test fleet: its tmux (TMUX_TMPDIR), and
 * the built CLI for the agents' report commands. The fleet's db/ must already hold a store.
 */
export async function startSupervised(
  fleet: TestFleet,
  opts: Partial<Omit<SupervisorConfig, 'home' | 'env'>> & { reapIntervalMs: number },
): Promise<{ fleetd: Fleetd; supervisor: Supervisor }> {
  const home = fleetHome(fleet.home);
  const { reapIntervalMs, ...cfg } = opts;
  const log = cfg.log ?? (() => undefined);
  let supervisor!: Supervisor;
  const fleetd = await startFleetd({
    home,
    reapIntervalMs,
    log,
    completionGuard: acceptanceGuard(home, log),
    compose: (services) => {
      const c = supervisorComponent(services, {
        staggerMs: 0,
        ...cfg,
        log,
        home,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          TMUX_TMPDIR: fleet.tmpdir,
          FLEET_CLI_PATH: FLEET_BIN,
        },
      });
      supervisor = c.supervisor;
      return { components: [c], supervisor: c.control };
    },
  });
  return { fleetd, supervisor };
}

/** A stub fleet on its own socket and fleetd in this process with the supervisor, fast ticks. */
export interface Harness {
  fleet: TestFleet;
  fleetd: Fleetd;
  supervisor: Supervisor;
  client: FleetdClient;
  logs: string[];
}

export const FLOOR: AgentSpec[] = [
  { name: 'orch', class: 'orchestrator' },
  { name: 'enh', class: 'enhancer' },
];

/**
 * Harnesses for one test file: `start` one per test, and `closeAll` in afterEach (printing what
 * the supervisor saw when the test failed, to read a failure without re-running it).
 */
export function supervisedHarnesses() {
  const open: Harness[] = [];
  return {
    async start(
      agents: AgentSpec[],
      opts: {
        tickMs?: number;
        leaseTtlSeconds?: number;
        deliverTimeoutMs?: number;
        rosterExtra?: string;
        defaults?: Record<string, unknown>;
      } = {},
    ): Promise<Harness> {
      const fleet = testFleet(agents, {
        interval: 1,
        rosterExtra: opts.rosterExtra,
        defaults: opts.defaults,
      });
      const home = fleetHome(fleet.home);
      cpSync(inject('pgliteTemplate'), home.dbDir, { recursive: true });
      const logs: string[] = [];
      const { fleetd, supervisor } = await startSupervised(fleet, {
        reapIntervalMs: 500,
        log: (l) => logs.push(l),
        tickMs: opts.tickMs ?? 300,
        leaseTtlSeconds: opts.leaseTtlSeconds ?? 30,
        deliverTimeoutMs: opts.deliverTimeoutMs ?? 15_000,
        replanIntervalMs: 60 * 60_000,
      });
      const h = { fleet, fleetd, supervisor, client: new FleetdClient(home), logs };
      open.push(h);
      return h;
    },
    async closeAll(failed: boolean): Promise<void> {
      for (const h of open.splice(0)) {
        if (failed) console.log(h.logs.join('\n'), JSON.stringify(h.supervisor.last));
        h.client.close();
        await h.fleetd.stop();
        h.fleet.cleanup();
      }
    },
  };
}
