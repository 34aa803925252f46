import { readFileSync, rmSync } from 'node:fs';
import type { FleetDeps } from '../fleet/deps.js';
import { writeFileAtomic } from '../fsutil.js';
import type { ResolvedAgent } from '../roster/resolve.js';
import { sendVerified, type SendReceipt } from '../send/deliver.js';

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
 * Give an agent the contract it is owed for `epoch`: one verified, when-idle send of its
 * contract file, queued if it is not idle in time; then the debt is settled whatever the verdict,
 * so the dispatcher never waits on a contract that will not come.
 */
export async function giveOwedContract(
  deps: FleetDeps,
  agent: ResolvedAgent,
  epoch: number,
): Promise<SendReceipt> {
  try {
    return await sendVerified(deps, {
      agent,
      text: readFileSync(deps.home.agentRunFile(agent.name, 'contract.md'), 'utf8'),
      source: 'fleet',
      verify: true,
      timeoutMs: 10_000,
      waitMs: CONTRACT_SEND_WAIT_S * 1000,
      whenIdle: true,
      queueOnDefer: true,
    });
  } finally {
    if (readOwed(deps, agent.name)?.epoch === epoch)
      rmSync(owedFile(deps, agent.name), { force: true });
  }
}
