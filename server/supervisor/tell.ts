/**
 * fleetd speaking to one of its agents (the orchestrator's replans and escalations, the
 * enhancer's digests, peer notes): labelled `[from fleetd]`, typed when the agent is idle,
 * verified, and never queued behind a human — the next tick tries again instead.
 */
import type { FleetDeps } from '@/lib/fleet/deps.js';
import type { ResolvedAgent } from '@/lib/roster/resolve.js';
import { sendVerified, type SendReceipt } from '@/lib/send/deliver.js';

export function tellAgent(
  deps: FleetDeps,
  agent: ResolvedAgent,
  text: string,
): Promise<SendReceipt> {
  return sendVerified(deps, {
    agent,
    text,
    source: 'fleetd',
    verify: true,
    timeoutMs: 10_000,
    waitMs: 0,
    whenIdle: true,
    queueOnDefer: false,
  });
}
