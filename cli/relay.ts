/**
 * The CLI's way to another host's agent (docs/architecture.md "The relay"): an address that is
 * not one of this host's agents goes to this host's fleetd, which keeps the command in the store
 * for the owning host and answers with that host's result.
 */
import { FleetError } from '../lib/errors.js';
import type { FleetdClient } from '../lib/client/fleetd.js';
import type { FleetDeps } from '../lib/fleet/deps.js';
import { parseAddress } from '../lib/fleet/address.js';
import { isLocal, rosterAgents } from '../lib/ops/lifecycle.js';
import { commandId, raiseRelayed, type RelayOutcome } from '../lib/ops/relay.js';

export { commandId };
import { connectFleetd } from './connect.js';
import type { CliContext } from './context.js';

/**
 * This host's agent for an address, or null when the address is for the relay: `<host>:<agent>`
 * for another host, or a bare name that is not one of this host's agents (the register knows).
 */
export function localName(deps: FleetDeps, address: string): string | null {
  const { host, agent } = parseAddress(address);
  if (host !== null) return host === deps.host ? agent : null;
  const a = rosterAgents(deps).find((x) => x.name === agent);
  return a && isLocal(deps, a) ? agent : null;
}

/**
 * Ask this host's fleetd; when it is not running, a bare name is simply unknown here (the
 * roster's own error), and an address for another host says fleetd is needed.
 */
export async function viaFleetd<T>(
  deps: FleetDeps,
  ctx: CliContext,
  address: string,
  call: (client: FleetdClient) => Promise<T>,
): Promise<T> {
  const client = await connectFleetd(ctx);
  try {
    return await call(client);
  } catch (e) {
    if (e instanceof FleetError && e.code === 'FLEETD_DOWN' && parseAddress(address).host === null)
      rosterAgents(deps, [address]);
    throw e;
  }
}

/** Restart or terminate another host's agent; its host's error is raised here as its own. */
export async function relayLifecycle(
  deps: FleetDeps,
  ctx: CliContext,
  kind: 'restart' | 'terminate',
  address: string,
): Promise<RelayOutcome> {
  const o = await viaFleetd(deps, ctx, address, (c) => c.relay[kind]({ address, id: commandId() }));
  raiseRelayed(o);
  return o;
}
