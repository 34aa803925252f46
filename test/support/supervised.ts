import { cpSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, inject } from 'vitest';
import { createDatabase } from './postgres.js';
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
import { connectorService, type ConnectorService } from '@/server/connectors/service.js';
import { fleetDepsFor } from '@/lib/ops/fleet-view.js';
import { buildFleetDeps } from '@/lib/fleet/build-deps.js';
import type { FleetDeps } from '@/lib/fleet/deps.js';
import type { ConnectorDeps } from '@/lib/connectors/registry.js';
import { testFleet, type AgentSpec, type TestFleet } from './tmux-fleet.js';
import { screenBeatComponent, type ScreenBeat } from '@/server/supervisor/screen-beat.js';

/**
 * fleetd in this process with the supervisor driving a test fleet: its tmux (TMUX_TMPDIR), and
 * the built CLI for the agents' report commands. The fleet's db/ must already hold a store.
 */
/** The chat connector beside the supervisor: fleetd's environment for its secret, test IO. */
export interface ConnectorHarnessOptions {
  env: Record<string, string>;
  deps?: ConnectorDeps;
  pollMs?: number;
  panelUrl?: string;
}

export async function startSupervised(
  fleet: TestFleet,
  opts: Partial<Omit<SupervisorConfig, 'home' | 'env'>> & {
    reapIntervalMs: number;
    connector?: ConnectorHarnessOptions;
    /** a shared PostgreSQL instead of the fleet's embedded store, and this fleetd's host name */
    databaseUrl?: string;
    host?: string;
    /** the supervisor's tmux/launch deps, changed by the test (a tmux call held, say) */
    wrapDeps?: (deps: FleetDeps) => FleetDeps;
  },
): Promise<{
  fleetd: Fleetd;
  supervisor: Supervisor;
  connector: ConnectorService | null;
  beat: ScreenBeat;
}> {
  const home = fleetHome(fleet.home);
  const { reapIntervalMs, connector: withConnector, databaseUrl, host, wrapDeps, ...cfg } = opts;
  const log = cfg.log ?? (() => undefined);
  let supervisor!: Supervisor;
  let connector: ConnectorService | null = null;
  let beat!: ScreenBeat;
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TMUX_TMPDIR: fleet.tmpdir,
    FLEET_CLI_PATH: FLEET_BIN,
  };
  const fleetd = await startFleetd({
    home,
    reapIntervalMs,
    log,
    env,
    databaseUrl,
    host,
    completionGuard: acceptanceGuard(home, log),
    compose: (services) => {
      if (withConnector)
        connector = connectorService({
          home,
          env: { ...env, ...withConnector.env },
          services,
          deps: () =>
            fleetDepsFor({ home, env, host: services.identity.host, pause: services.pause, log }),
          panelUrl: () => withConnector.panelUrl ?? null,
          log,
          pollMs: withConnector.pollMs ?? 100,
          connectorDeps: withConnector.deps,
        });
      const c = supervisorComponent(services, {
        staggerMs: 0,
        ...(wrapDeps
          ? {
              makeDeps: (loaded) =>
                wrapDeps(buildFleetDeps({ home, loaded, env, log, host: services.identity.host })),
            }
          : {}),
        ...cfg,
        log,
        home,
        env,
        onAttention: connector ? (r) => void connector!.notify(r) : undefined,
      });
      supervisor = c.supervisor;
      const b = screenBeatComponent({ home, env, host: services.identity.host, log });
      beat = b.beat;
      return {
        components: [b, c, ...(connector ? [connector] : [])],
        supervisor: c.control,
        ...(connector ? { connector } : {}),
      };
    },
  });
  return { fleetd, supervisor, connector, beat };
}

/** A stub fleet on its own socket and fleetd in this process with the supervisor, fast ticks. */
export interface Harness {
  fleet: TestFleet;
  fleetd: Fleetd;
  supervisor: Supervisor;
  client: FleetdClient;
  logs: string[];
  connector: ConnectorService | null;
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
        connector?: ConnectorHarnessOptions;
        takeoverHeldSeconds?: number;
        databaseUrl?: string;
        host?: string;
        wrapDeps?: (deps: FleetDeps) => FleetDeps;
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
      const { fleetd, supervisor, connector } = await startSupervised(fleet, {
        connector: opts.connector,
        takeoverHeldSeconds: opts.takeoverHeldSeconds,
        databaseUrl: opts.databaseUrl,
        host: opts.host,
        wrapDeps: opts.wrapDeps,
        reapIntervalMs: 500,
        log: (l) => logs.push(l),
        tickMs: opts.tickMs ?? 300,
        leaseTtlSeconds: opts.leaseTtlSeconds ?? 30,
        deliverTimeoutMs: opts.deliverTimeoutMs ?? 15_000,
        replanIntervalMs: 60 * 60_000,
      });
      const h = { fleet, fleetd, supervisor, client: new FleetdClient(home), logs, connector };
      open.push(h);
      return h;
    },
    async closeAll(failed: boolean): Promise<void> {
      for (const h of open.splice(0)) {
        if (failed) console.log(h.logs.join('\n'), JSON.stringify(h.supervisor.last));
        h.client.close();
        // a stop that hangs shows what fleetd was doing (its log names the slow component)
        const slow = setTimeout(
          () => console.log(`fleetd stop is slow:\n${h.logs.join('\n')}`),
          15_000,
        );
        await h.fleetd.stop();
        clearTimeout(slow);
        h.fleet.cleanup();
      }
    },
  };
}

/**
 * Harnesses for a file whose fleetds are hosts of one fleet: one fresh PostgreSQL database for
 * the file (`databaseUrl()` once its setup ran), harnesses closed after each test.
 */
export function hostsOnOneDatabase() {
  const harnesses = supervisedHarnesses();
  let db: Awaited<ReturnType<typeof createDatabase>> | undefined;
  beforeAll(async () => {
    db = await createDatabase(inject('databaseUrl'));
  });
  afterEach((ctx) => harnesses.closeAll(ctx.task.result?.state === 'fail'));
  afterAll(async () => db?.drop());
  return { harnesses, databaseUrl: () => db!.url };
}
