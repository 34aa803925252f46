import type { FleetDeps } from '@/lib/fleet/deps.js';
import type { PsRow } from '@/lib/fleet/ps.js';
import { isLocal, rosterAgents } from '@/lib/ops/lifecycle.js';
import type { LoadedRoster } from '@/lib/roster/load.js';
import type { ResolvedAgent } from '@/lib/roster/resolve.js';
import type { BacklogService } from '@/lib/store/backlog.js';
import type { DispatchRow } from '@/lib/store/cards.js';
import type { CardView } from '@/lib/store/contract.js';
import { psByName } from './reconcile.js';
import { Coalesced, Serial } from './serial.js';
import { claimForAgents, type DispatchInput, type WorkOptions } from './work.js';

export interface DispatchJob {
  agent: ResolvedAgent;
  card: CardView;
  epoch: number;
}

export interface DispatcherHost {
  /** the roster as it is now, parsed again only when the file changed (the tick's own reader) */
  roster(): LoadedRoster;
  backlog: BacklogService;
  opts: WorkOptions;
  makeDeps(loaded: LoadedRoster): FleetDeps;
  log(line: string): void;
  /** agents a delivery is being typed to: they take nothing else meanwhile */
  delivering(): ReadonlySet<string>;
  /** agents held back by a usage limit (docs/attention.md) */
  rateLimited(): ReadonlySet<string>;
  paused(): Promise<boolean>;
  /** the store is away: the tick says so once (docs/pitfalls.md "PostgreSQL goes away") */
  storeAway(e: unknown): boolean;
  /** start typing a claimed card into its agent; registers the agent as delivering at once */
  deliver(deps: FleetDeps, job: DispatchJob): void;
}

/**
 * Dispatch: ready cards to available agents (docs/architecture.md "Dispatch"). The tick runs a
 * pass over what it read; between ticks, a fast pass runs as soon as a card may have become
 * ready or an agent may have become idle, and reads only what a plan needs: the ready cards;
 * only when one is ready PAUSE and one `list-panes`; only when an agent could take one of them
 * the cards in progress. Both passes take one lock around plan, claim and the start of the
 * delivery, and read the claims inside it, so an agent a pass just gave a card is busy
 * (claimed, or delivering) for the next.
 */
export class Dispatcher {
  private readonly gate = new Serial();
  private readonly fast: Coalesced;
  private deps: { loaded: LoadedRoster; deps: FleetDeps } | null = null;
  private stopped = false;
  /** cards given so far, and the count when each agent was last given one */
  private given = 0;
  private readonly lastGiven = new Map<string, number>();

  constructor(private readonly h: DispatcherHost) {
    this.fast = new Coalesced(
      () => this.fastPass(),
      (e) => {
        if (!h.storeAway(e)) h.log(`supervisor: dispatch: ${(e as Error)?.message ?? String(e)}`);
      },
    );
  }

  /** The tick's pass, over the tick's rows; the claims are read again under the lock. */
  pass(
    deps: FleetDeps,
    agents: readonly ResolvedAgent[],
    rows: ReadonlyMap<string, PsRow>,
  ): Promise<{ jobs: DispatchJob[]; claimed: DispatchRow[] | null }> {
    let claimed: DispatchRow[] | null = null;
    return this.locked(deps, agents, {
      rows: async () => rows,
      active: async () => {
        const f = await this.inProgress();
        claimed = f.claimed;
        return f.active;
      },
    }).then((jobs) => ({ jobs, claimed }));
  }

  /** Run a fast pass now (or right after the one running): a card or an agent may be ready. */
  soon(): Promise<void> {
    return this.stopped ? Promise.resolve() : this.fast.poke();
  }

  /** A mark to ask `gaveSince` about later. */
  mark(): number {
    return this.given;
  }

  /** Whether the agent was given a card after `mark`. */
  gaveSince(agent: string, mark: number): boolean {
    return (this.lastGiven.get(agent) ?? 0) > mark;
  }

  /** The tick read the roster: the fast pass uses the same deps while the file is unchanged. */
  remember(deps: FleetDeps): void {
    this.deps = { loaded: deps.loaded, deps };
  }

  /** No fast pass starts any more; resolves when the one running ends. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.fast.idle();
  }

  idle(): Promise<void> {
    return this.fast.idle();
  }

  private locked(
    deps: FleetDeps,
    agents: readonly ResolvedAgent[],
    facts: Pick<DispatchInput, 'rows' | 'active'>,
  ): Promise<DispatchJob[]> {
    return this.gate.run(async () => {
      const jobs = await claimForAgents({
        deps,
        backlog: this.h.backlog,
        agents,
        delivering: this.h.delivering(),
        opts: this.h.opts,
        paused: () => this.h.paused(),
        ...facts,
      });
      for (const job of jobs) {
        this.lastGiven.set(job.agent.name, ++this.given);
        this.h.deliver(deps, job);
      }
      return jobs;
    });
  }

  private async inProgress(): Promise<{ claimed: DispatchRow[]; active: DispatchRow[] }> {
    const active = await this.h.backlog.inProgress();
    return { claimed: active.filter((c) => c.status === 'claimed'), active };
  }

  /** The roster as the last tick read it, or read again when the file changed since. */
  private currentDeps(): FleetDeps | null {
    let loaded: LoadedRoster;
    try {
      loaded = this.h.roster();
    } catch {
      return null; // an invalid roster: the tick reports it and dispatches nothing either
    }
    if (this.deps?.loaded !== loaded) this.deps = { loaded, deps: this.h.makeDeps(loaded) };
    return this.deps.deps;
  }

  private async fastPass(): Promise<void> {
    if (this.stopped) return;
    const deps = this.currentDeps();
    if (!deps) return;
    const limited = this.h.rateLimited();
    const agents = rosterAgents(deps).filter((a) => isLocal(deps, a) && !limited.has(a.name));
    await this.locked(deps, agents, {
      rows: () => psByName(deps),
      active: async () => (await this.inProgress()).active,
    });
  }
}
