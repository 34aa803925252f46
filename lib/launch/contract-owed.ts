import { readFileSync, rmSync } from 'node:fs';
import type { FleetDeps } from '../fleet/deps.js';
import { writeFileAtomic } from '../fsutil.js';
import type { ResolvedAgent } from '../roster/resolve.js';
import { sendVerified, type SendReceipt } from '../send/deliver.js';
import { readLaunchState } from '../run/launch-state.js';
import { recordContractGiven } from '../run/session.js';
import { sha256Hex } from './contract.js';

/** How long the first-message contract waits for the agent's first idle point before queueing. */
export const CONTRACT_SEND_WAIT_S = 300;
/** An owed contract older than this is forgotten (its sender died): the agent may take work. */
const OWED_FOR_MS = (CONTRACT_SEND_WAIT_S + 60) * 1000;

interface Owed {
  epoch: number;
  at: number;
}

function owedFile(deps: Pick<FleetDeps, 'home'>, name: string): string {
  return deps.home.agentRunFile(name, 'contract-owed');
}

function readOwed(deps: Pick<FleetDeps, 'home'>, name: string): Owed | null {
  try {
    const o = JSON.parse(readFileSync(owedFile(deps, name), 'utf8')) as Partial<Owed>;
    return typeof o.epoch === 'number' && typeof o.at === 'number'
      ? { epoch: o.epoch, at: o.at }
      : null;
  } catch {
    return null;
  }
}

/**
 * A launch whose contract goes as the first message records that it is owed, so no card is
 * typed before it (docs/runtimes.md "Contract delivery").
 */
export function markContractOwed(
  deps: Pick<FleetDeps, 'home' | 'now'>,
  name: string,
  epoch: number,
): void {
  writeFileAtomic(owedFile(deps, name), JSON.stringify({ epoch, at: deps.now() }), 0o600);
}

/** True while this epoch's first-message contract has not been given (nor given up on). */
export function contractOwed(
  deps: Pick<FleetDeps, 'home' | 'now'>,
  name: string,
  epoch: number | null,
): boolean {
  const o = readOwed(deps, name);
  return o !== null && o.epoch === epoch && deps.now() - o.at < OWED_FOR_MS;
}

/**
 * Give an agent the contract it is owed for `epoch`: one verified send of its contract file at
 * its first idle point, queued if it is not idle within CONTRACT_SEND_WAIT_S. A sender whose
 * launch was replaced (a restart, a crash loop) stops at once: the new launch owes its own. The
 * debt is settled whatever the verdict, so the dispatcher never waits on a contract that will
 * not come.
 */
export async function giveOwedContract(
  deps: FleetDeps,
  agent: ResolvedAgent,
  epoch: number,
): Promise<SendReceipt> {
  const deadline = deps.now() + CONTRACT_SEND_WAIT_S * 1000;
  const text = readFileSync(deps.home.agentRunFile(agent.name, 'contract.md'), 'utf8');
  const send = (last: boolean) =>
    sendVerified(deps, {
      agent,
      text,
      source: 'fleet',
      verify: true,
      timeoutMs: 10_000,
      waitMs: 0,
      whenIdle: true,
      queueOnDefer: last,
    });
  try {
    for (;;) {
      const current = readLaunchState(deps.home, agent.name).epoch;
      if (current !== epoch)
        return {
          agent: agent.name,
          tenant_id: agent.tenantId,
          host: agent.host,
          verdict: 'send_failed',
          detail: `launch ${epoch} was replaced by launch ${current}, which gives its own contract`,
          source: 'fleet',
          chars: 0,
          epoch: current,
          queued_id: null,
          elapsed_ms: 0,
        };
      const last = deps.now() >= deadline;
      const r = await send(last);
      // the conversation holds it now: a resume of it is not given it again
      if (r.verdict === 'submitted') recordContractGiven(deps.home, agent.name, sha256Hex(text));
      // not idle yet (and not kept): look again shortly
      if (last || r.verdict !== 'queued' || r.queued_id !== null) return r;
      await deps.sleep(500);
    }
  } finally {
    if (readOwed(deps, agent.name)?.epoch === epoch)
      rmSync(owedFile(deps, agent.name), { force: true });
  }
}
