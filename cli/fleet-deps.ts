import os from 'node:os';
import { FleetError, usage } from '../lib/errors.js';
import { buildFleetDeps } from '../lib/fleet/build-deps.js';
import type { FleetDeps } from '../lib/fleet/deps.js';
import { describeEvent } from '../lib/ops/timeline.js';
import { loadRoster } from '../lib/roster/load.js';
import type { AgentEventSink } from '../lib/timeline/contract.js';
import type { CliContext } from './context.js';

export { fleetArgv } from '../lib/fleet/build-deps.js';

/** An event is a few hundred bytes to a local socket: a fleetd slower than this is busy. */
const EVENT_TIMEOUT_MS = 3_000;

/**
 * The CLI's sink for agent events (lib/ops/timeline.ts): fleetd's socket, since the CLI never
 * opens the store (docs/architecture.md "The store has one owner"). No fleetd, no record: there
 * is no store to write to, which is not worth a line; any other failure is one line, and the
 * start or takeover stands.
 */
export function socketSink(ctx: CliContext): AgentEventSink {
  return async (e) => {
    const { FleetdClient } = await import('../lib/client/fleetd.js');
    const client = new FleetdClient(ctx.home, { timeoutMs: EVENT_TIMEOUT_MS });
    try {
      await client.agents.recordEvent(e);
    } catch (err) {
      if (err instanceof FleetError && err.code === 'FLEETD_DOWN') return;
      ctx.err(
        `timeline: ${describeEvent(e)} not recorded: ${(err as Error).message.split('\n')[0]}`,
      );
    } finally {
      client.close();
    }
  };
}

/** The CLI's composition root for the tmux fleet: the real runners, this process's env. */
export function fleetDeps(ctx: CliContext): FleetDeps {
  return buildFleetDeps({
    home: ctx.home,
    loaded: loadRoster(ctx.home.roster),
    env: ctx.env,
    log: (l) => ctx.err(l),
    agentEvents: socketSink(ctx),
    actor: ctx.env.USER || os.userInfo().username,
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
