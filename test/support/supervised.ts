import { fleetHome } from '../../lib/home.js';
import { startFleetd, type Fleetd } from '../../server/fleetd.js';
import {
  acceptanceGuard,
  supervisorComponent,
  type SupervisorConfig,
} from '../../server/supervisor/component.js';
import type { Supervisor } from '../../server/supervisor/supervisor.js';
import { FLEET_BIN } from './fleet-cli.js';
import type { TestFleet } from './tmux-fleet.js';

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
    components: (services, router) => {
      const c = supervisorComponent(services, router, {
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
      return [c];
    },
  });
  return { fleetd, supervisor };
}
