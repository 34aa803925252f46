import { usage } from '../lib/errors.js';
import { buildFleetDeps } from '../lib/fleet/build-deps.js';
import type { FleetDeps } from '../lib/fleet/deps.js';
import { loadRoster } from '../lib/roster/load.js';
import type { CliContext } from './context.js';

export { fleetArgv } from '../lib/fleet/build-deps.js';

/** The CLI's composition root for the tmux fleet: the real runners, this process's env. */
export function fleetDeps(ctx: CliContext): FleetDeps {
  return buildFleetDeps({
    home: ctx.home,
    loaded: loadRoster(ctx.home.roster),
    env: ctx.env,
    log: (l) => ctx.err(l),
  });
}

/** commander gives option values as strings: parse a non-negative number or fail clearly. */
export function numberOption(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0)
    throw usage(`--${name} must be a non-negative number (got "${value}")`);
  return n;
}
