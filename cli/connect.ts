import { FleetError } from '../lib/errors.js';
import { FleetdClient } from '../lib/client/fleetd.js';
import type { CliContext } from './context.js';

/**
 * How to run this very CLI again as `fleet serve`, whether bundled or under tsx, with `flags`
 * (e.g. the ones given to `fleet serve --detach`, minus those only the parent uses).
 */
export function serveArgv(flags: string[] = []): string[] {
  return [process.execPath, ...process.execArgv, process.argv[1]!, 'serve', ...flags];
}

/** The flags after `serve` on this command line, for the detached child. */
export function forwardedServeFlags(argv: string[] = process.argv): string[] {
  const at = argv.indexOf('serve', 2);
  return at < 0 ? [] : argv.slice(at + 1).filter((a) => a !== '--detach' && a !== '--json');
}

/**
 * A client for this FLEET_HOME's fleetd. The CLI never opens the store: when fleetd is down the
 * first call fails with FLEETD_DOWN and how to start it — or, with `start`, it is started
 * detached first.
 */
export async function connectFleetd(
  ctx: CliContext,
  opts: { start?: boolean } = {},
): Promise<FleetdClient> {
  const client = new FleetdClient(ctx.home);
  if (!opts.start) return client;
  try {
    await client.health();
  } catch (e) {
    if (!(e instanceof FleetError && e.code === 'FLEETD_DOWN')) throw e;
    // loaded only here: starting fleetd is rare, and a report on every card should not pay for it
    const { startDetached } = await import('../lib/client/daemon.js');
    const { health } = await startDetached({ home: ctx.home, argv: serveArgv(), env: ctx.env });
    ctx.err(`started fleetd (pid ${health.pid}) for ${ctx.home.root}`);
  }
  return client;
}
