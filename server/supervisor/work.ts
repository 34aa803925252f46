import type { FleetDeps } from '@/lib/fleet/deps.js';
import { contractToRepeat } from '@/lib/launch/agent.js';
import { sha256Hex } from '@/lib/launch/contract.js';
import { recordContractGiven } from '@/lib/run/session.js';
import { contractOwed } from '@/lib/launch/contract-owed.js';
import type { PsRow } from '@/lib/fleet/ps.js';
import type { ResolvedAgent } from '@/lib/roster/resolve.js';
import { sendVerified, type SendReceipt } from '@/lib/send/deliver.js';
import type { BacklogService } from '@/lib/store/backlog.js';
import type { DispatchRow } from '@/lib/store/cards.js';
import type { CardView } from '@/lib/store/contract.js';
import {
  afterError,
  afterVerdict,
  undeliverable,
  type DeliveryOutcome,
} from '@/lib/supervisor/delivery.js';
import {
  mayTakeAny,
  pathsCard,
  planDispatch,
  type Assignment,
  type DispatchAgent,
  type DispatchCard,
} from '@/lib/supervisor/dispatch.js';
import { pathsWait, type PathsCard } from '@/lib/supervisor/paths.js';
import { repoOf } from '@/lib/repos/place.js';
import type { RepoPlace } from '@/lib/review/contract.js';
import type { Roster } from '@/lib/roster/schema.js';
import { cardPrompt } from '@/lib/supervisor/prompt.js';
import { formatOwner, parseOwner } from './owner.js';

export interface WorkOptions {
  leaseTtlSeconds: number;
  /** how long a delivery may wait for the agent to be idle and verify acceptance */
  deliverTimeoutMs: number;
  fleetBin: string;
}

/** What one tick learned about claims held on behalf of this host's agents. */
export interface HeldCard<C extends Pick<CardView, 'claim_owner'> = CardView> {
  card: C;
  agent: string;
  epoch: number;
}

export function heldCards<C extends Pick<CardView, 'claim_owner'>>(
  claimed: readonly C[],
  host: string,
): HeldCard<C>[] {
  const out: HeldCard<C>[] = [];
  for (const card of claimed) {
    const o = parseOwner(card.claim_owner);
    if (o && o.host === host) out.push({ card, agent: o.agent, epoch: o.epoch });
  }
  return out;
}

/**
 * Keep leases of healthy agents alive; take work back from agents that died, were restarted
 * (older epoch) or left the roster. Renewal at half the TTL keeps store writes low. A held card
 * whose text could never be typed is blocked (listed with the reclaimed: its agent is free).
 */
export async function tendLeases(
  backlog: BacklogService,
  held: readonly HeldCard[],
  rows: ReadonlyMap<string, PsRow>,
  opts: Pick<WorkOptions, 'leaseTtlSeconds'>,
  now: number,
  delivering: ReadonlySet<string>,
): Promise<{ renewed: string[]; reclaimed: string[] }> {
  const res = { renewed: [] as string[], reclaimed: [] as string[] };
  for (const h of held) {
    // a claim taken before delivery blocked such cards (lib/supervisor/delivery.ts) was never
    // typed and would be renewed for as long as the agent is healthy, with the agent idle
    const stuck = delivering.has(h.agent) ? null : undeliverable(h.card);
    if (stuck?.action === 'block') {
      await backlog.block({ id: h.card.id, reason: stuck.reason, actor: 'supervisor' });
      res.reclaimed.push(h.card.id);
      continue;
    }
    const row = rows.get(h.agent);
    const gone = !row || row.session !== 'alive' || (row.epoch !== null && row.epoch !== h.epoch);
    if (gone && !delivering.has(h.agent)) {
      await backlog.reclaim({ id: h.card.id, actor: 'supervisor' });
      res.reclaimed.push(h.card.id);
      continue;
    }
    if (row?.health !== 'healthy') continue; // the lease runs out on its own; the reaper reclaims
    const expires = h.card.lease_expires_at ? Date.parse(h.card.lease_expires_at) : 0;
    if (expires - now > (opts.leaseTtlSeconds * 1000) / 2) continue;
    await backlog.renew({
      id: h.card.id,
      owner: h.card.claim_owner!,
      fence: h.card.fence,
      ttl_seconds: opts.leaseTtlSeconds,
    });
    res.renewed.push(h.card.id);
  }
  return res;
}

export interface DispatchInput {
  deps: FleetDeps;
  backlog: BacklogService;
  agents: readonly ResolvedAgent[];
  delivering: ReadonlySet<string>;
  opts: WorkOptions;
  /** PAUSE, asked again right before claiming: a pause made during this tick stops it here */
  paused(): Promise<boolean>;
  /** the agents' rows, read only when a card is ready */
  rows(): Promise<ReadonlyMap<string, PsRow>>;
  /**
   * The cards in progress (claimed anywhere, or in review), whose claims say who is busy and
   * whose paths hold overlapping cards: read only when some agent could take a ready card
   */
  active(): Promise<readonly DispatchRow[]>;
}

/** A card as the dispatcher sees it: its repository (known to the roster) and its author. */
function dispatchCard(card: DispatchRow, roster: Roster, names: ReadonlySet<string>): DispatchCard {
  const of = repoOf(card, roster);
  return {
    ...card,
    repo: of.kind === 'repo' ? of.repo.name : null,
    // an author no longer in the roster cannot take its card back: anyone may
    assignee: card.assignee && names.has(card.assignee) ? card.assignee : null,
  };
}

/** Record on each ready card why it waits for overlapping paths (or that it no longer does). */
async function noteWaits(
  backlog: BacklogService,
  ready: readonly DispatchRow[],
  cards: ReadonlyMap<string, DispatchCard>,
  active: readonly PathsCard[],
): Promise<void> {
  for (const c of ready) {
    const why = pathsWait(pathsCard(cards.get(c.id)!), active);
    if (why !== c.wait_reason) await backlog.setWaitReason(c.id, why);
  }
}

/** Plan and claim: returns the claimed cards to deliver (delivery runs outside the tick). */
export async function claimForAgents(
  i: DispatchInput,
): Promise<{ agent: ResolvedAgent; card: CardView; epoch: number }[]> {
  const ready = await i.backlog.readyToDispatch();
  if (!ready.length || (await i.paused())) return [];
  const rows = await i.rows();
  const roster = i.deps.loaded.roster;
  const names = new Set(roster.agents.map((a) => a.name));
  const cards = new Map(ready.map((c) => [c.id, dispatchCard(c, roster, names)]));
  // the agents as the plan sees them, before the claims say which already hold a card
  const candidates: DispatchAgent[] = i.agents
    .filter((a) => rows.get(a.name)?.session === 'alive')
    .map((a) => {
      const row = rows.get(a.name)!;
      return {
        name: a.name,
        class: a.class,
        readiness: row.readiness,
        heldByHuman: row.takeover !== null,
        currentCard: i.delivering.has(a.name)
          ? '(delivering)'
          : contractOwed(i.deps, a.name, row.epoch)
            ? '(contract)'
            : null,
        enabled: a.enabled,
      };
    });
  // nothing to note and no agent that could take any of them, whatever it holds: the cards in
  // progress are not read (a pass on every event while every worker is busy stays one query)
  const noting = ready.some((c) => c.paths.length || c.wait_reason);
  if (!noting && !mayTakeAny([...cards.values()], candidates)) return [];
  const inProgress = await i.active();
  const active = inProgress.map((c) => pathsCard(dispatchCard(c, roster, names)));
  if (noting) await noteWaits(i.backlog, ready, cards, active);
  const held = heldCards(
    inProgress.filter((c) => c.status === 'claimed'),
    i.deps.host,
  );
  const busy = new Map(held.map((h) => [h.agent, h.card.id]));
  const holding = candidates.map((a) => {
    const card = busy.get(a.name);
    return card === undefined ? a : { ...a, currentCard: card };
  });
  const plan: Assignment[] = planDispatch([...cards.values()], holding, active);
  const out: { agent: ResolvedAgent; card: CardView; epoch: number }[] = [];
  for (const p of plan) {
    const agent = i.agents.find((a) => a.name === p.agent)!;
    const epoch = rows.get(p.agent)?.epoch ?? 0;
    const owner = formatOwner({ agent: p.agent, host: i.deps.host, epoch });
    const card = await i.backlog.claim({ id: p.card, owner, ttl_seconds: i.opts.leaseTtlSeconds });
    if (card) out.push({ agent, card, epoch });
  }
  return out;
}

/**
 * Type the card's prompt into the agent (when idle, verified). Reset first when the agent
 * resets between tasks and has worked a card since its last reset. A delivery that is not
 * accepted, or that throws, never leaves the claim held (lib/supervisor/delivery.ts): the card
 * goes back as a failed attempt with the reason, or is blocked when no retry could help, and
 * the agent is free for the next card. Returns null when nothing was sent.
 */
export async function deliverCard(
  deps: FleetDeps,
  backlog: BacklogService,
  job: { agent: ResolvedAgent; card: CardView; epoch: number },
  opts: WorkOptions,
  needsReset: boolean,
  resetCommand: string | null,
  prepare: (card: CardView) => Promise<RepoPlace | null> = async () => null,
): Promise<SendReceipt | null> {
  const refused = undeliverable(job.card);
  if (refused.action !== 'none') {
    await settleUndelivered(deps, backlog, job, refused);
    return null;
  }
  // a repository card is worked in its own worktree, made now (docs/review.md); a repository
  // that cannot be used is no attempt's fault: prepare blocks the card with the one-line reason
  let place: RepoPlace | null;
  try {
    place = await prepare(job.card);
  } catch {
    return null;
  }
  const base = {
    agent: job.agent,
    verify: true,
    timeoutMs: Math.min(opts.deliverTimeoutMs, 15_000),
    waitMs: opts.deliverTimeoutMs,
    whenIdle: true,
    queueOnDefer: false,
  };
  let receipt: SendReceipt;
  let stage: 'reset' | 'prompt' = 'reset';
  try {
    if (needsReset && resetCommand) {
      await sendVerified(deps, { ...base, text: resetCommand, source: null });
      // a contract given as a message went with the conversation: persona and mission again
      // before the card (docs/runtimes.md "Contract delivery")
      const contract = contractToRepeat(deps, job.agent);
      if (contract !== null) {
        const given = await sendVerified(deps, { ...base, text: contract, source: 'fleet' });
        if (given.verdict === 'submitted')
          recordContractGiven(deps.home, job.agent.name, sha256Hex(contract));
        const outcome = afterVerdict(job.agent.name, given);
        if (outcome.action !== 'none') {
          await settleUndelivered(deps, backlog, job, outcome);
          return given;
        }
      }
    }
    stage = 'prompt';
    const prompt = cardPrompt(
      job.card,
      { owner: job.card.claim_owner!, fence: job.card.fence },
      opts.fleetBin,
      place,
    );
    receipt = await sendVerified(deps, { ...base, text: prompt, source: 'fleetd' });
  } catch (e) {
    await settleUndelivered(deps, backlog, job, afterError(job.agent.name, e, stage));
    throw e;
  }
  await settleUndelivered(deps, backlog, job, afterVerdict(job.agent.name, receipt));
  return receipt;
}

/** Carry out a delivery outcome; a store error is logged, never thrown over the send's own. */
async function settleUndelivered(
  deps: FleetDeps,
  backlog: BacklogService,
  job: { agent: ResolvedAgent; card: CardView },
  outcome: DeliveryOutcome,
): Promise<void> {
  if (outcome.action === 'none') return;
  const { id, claim_owner, fence } = job.card;
  try {
    const card =
      outcome.action === 'block'
        ? await backlog.block({ id, reason: outcome.reason, actor: 'supervisor' })
        : await backlog.fail({ id, owner: claim_owner!, fence, reason: outcome.reason });
    deps.log(
      `supervisor: ${job.agent.name} did not take ${id} (${outcome.reason}); card is ${card.status}`,
    );
  } catch (e) {
    deps.log(
      `supervisor: ${job.agent.name} did not take ${id} (${outcome.reason}) and the claim could not be released: ${(e as Error).message}`,
    );
  }
}
