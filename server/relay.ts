/**
 * The relay's side in fleetd (docs/architecture.md "The relay"): carries out the commands other
 * hosts keep in the store for this host's agents, and wakes this host's callers when a command
 * they wait for is done. Woken by NOTIFY, with a short poll behind it so a lost notification (a
 * dropped connection) only delays a command; on start it first closes what an earlier run of this
 * fleetd left half done, then does what waited while it was down.
 */
import type { RelayOps, RelayRunner } from '../lib/ops/relay.js';
import { RELAY_CHANNEL, RELAY_DONE_CHANNEL, type RelayStore } from '../lib/store/relay.js';
import type { Store } from '../lib/store/db.js';
import type { Component, Log } from './maintenance.js';

const POLL_MS = 2_000;
const PRUNE_MS = 3600_000;

export function relayComponent(o: {
  store: Store;
  relay: RelayStore;
  ops: RelayOps;
  runner: RelayRunner;
  tenantId: string;
  host: string;
  log: Log;
}): Component {
  let stopped = false;
  let poll: NodeJS.Timeout | undefined;
  let retry: NodeJS.Timeout | undefined;
  /** each channel's current subscription: a lost one is replaced, not kept beside it */
  const closers = new Map<string, () => Promise<void>>();
  /** a failure worth a line: not the store being away, which the store reports once */
  const quiet = (e: unknown): void => {
    if (!o.store.unreachable(e)) o.log(`relay: ${(e as Error).message}`);
  };
  const kick = () => {
    if (!stopped) void o.runner.kick().catch(quiet);
  };
  const onPayload = (channel: string, payload: string): void => {
    const [tenant, rest] = payload.split('\t');
    if (tenant !== o.tenantId || rest === undefined) return;
    if (channel === RELAY_CHANNEL && rest === o.host) kick();
    if (channel === RELAY_DONE_CHANNEL) o.ops.done(rest);
  };
  const subscribe = async (channel: string): Promise<void> => {
    if (stopped || !o.store.listen) return;
    try {
      const close = await o.store.listen(
        channel,
        (p) => onPayload(channel, p),
        () => {
          closers.delete(channel);
          if (stopped) return;
          // a store outage is logged once, by the store (docs/pitfalls.md)
          retry = setTimeout(() => void subscribe(channel), 1000);
        },
      );
      if (stopped) await close();
      else closers.set(channel, close);
    } catch {
      retry = setTimeout(() => void subscribe(channel), 1000);
    }
  };
  let lastPrune = 0;
  const tick = async (): Promise<void> => {
    if (stopped) return;
    try {
      await o.runner.kick();
      if (Date.now() - lastPrune > PRUNE_MS) {
        lastPrune = Date.now();
        const n = await o.relay.prune();
        if (n) o.log(`relay: forgot ${n} commands done over a day ago`);
      }
    } catch (e) {
      quiet(e);
    }
    if (!stopped) poll = setTimeout(() => void tick(), POLL_MS);
  };
  return {
    name: 'relay',
    async start() {
      await subscribe(RELAY_CHANNEL);
      await subscribe(RELAY_DONE_CHANNEL);
      try {
        const n = await o.runner.recover();
        if (n) o.log(`relay: ${n} commands were cut short by the last stop; closed, not repeated`);
      } catch (e) {
        quiet(e);
      }
      void tick();
    },
    async stop() {
      stopped = true;
      clearTimeout(poll);
      clearTimeout(retry);
      await o.runner.idle();
      await Promise.all([...closers.values()].map((c) => c().catch(() => undefined)));
    },
  };
}
