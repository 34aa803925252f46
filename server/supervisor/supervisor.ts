import { existsSync } from 'node:fs';
import { tellAgent } from './tell.js';
import type { FleetDeps } from '@/lib/fleet/deps.js';
import { isLocal, rosterAgents } from '@/lib/ops/lifecycle.js';
import type { PsRow } from '@/lib/fleet/ps.js';
import type { FleetHome } from '@/lib/home.js';
import { adapterFor } from '@/lib/launch/adapter.js';
import { readLaunchState, writeLaunchState } from '@/lib/run/launch-state.js';
import { loadedRosterReader, type LoadedRoster } from '@/lib/roster/load.js';
import { drainQueue } from '@/lib/send/deliver.js';
import { listQueue } from '@/lib/run/queue.js';
import type { PauseView } from '@/lib/store/registry-contract.js';
import type { CardView } from '@/lib/store/contract.js';
import { ORCHESTRATOR } from '@/lib/roster/rules.js';
import { NON_WORKER_CLASSES } from '@/lib/supervisor/dispatch.js';
import { escapeControls } from '@/lib/control-chars.js';
import { escalationPrompt, replanPrompt } from '@/lib/supervisor/prompt.js';
import { clearFailure } from '@/lib/supervisor/restart.js';
import type { FleetServices } from '../services.js';
import { psByName, reconcile, type ReconcileReport, type ReconcileState } from './reconcile.js';
import type { PlanSummary } from '@/lib/ops/plan.js';
import { DigestLoop } from './digest.js';
import { AttentionPass } from './attention.js';
import type { SyncResult } from '@/lib/store/attention.js';
import { sendVerified } from '@/lib/send/deliver.js';
import { PeerNotes } from './peer-notes.js';
import { NorthStarWatch } from './northstar-watch.js';
import type { GatePass } from '@/lib/ops/review.js';
import { REVIEWER_CLASS } from '@/lib/supervisor/dispatch.js';
import { CardsOfNote } from './note-cards.js';
import { Dispatcher, type DispatchJob } from './dispatcher.js';
import { deliverCard, heldCards, tendLeases, type HeldCard, type WorkOptions } from './work.js';
import { DRAIN_SETTLE_MS, DrainState } from './drain.js';
import { TickChanges } from './changes.js';
import type { DrainView } from '@/lib/supervisor/drain.js';

export interface SupervisorOptions extends WorkOptions {
  home: FleetHome;
  services: FleetServices;
  /** builds the tmux/launch deps for a freshly read roster (injected by tests) */
  makeDeps(loaded: LoadedRoster): FleetDeps;
  staggerMs: number;
  replanIntervalMs: number;
  log(line: string): void;
  /** items raised or cleared by a tick (notifications) */
  onAttention?(r: SyncResult): void;
  /** a takeover held longer than this is raised in the inbox (default 15 min) */
  takeoverHeldSeconds?: number;
  /** the tick, written to the register: peers call this host unreachable after three */
  tickMs?: number;
}

export interface TickReport {
  at: string;
  paused: boolean;
  roster_error: string | null;
  /** goals planned from a changed NORTH_STAR.yaml this tick */
  planned: PlanSummary | null;
  /** why NORTH_STAR.yaml is not planned (it is invalid), or null */
  northstar_error: string | null;
  reconcile: ReconcileReport | null;
  renewed: string[];
  reclaimed: string[];
  dispatched: { card: string; agent: string }[];
  replan_sent: boolean;
  escalated: string[];
  /** a digest was sent to the enhancer this tick */
  digest_sent: boolean;
  /** agents told of a change among their peers this tick */
  peers_told: string[];
  /** inbox items raised and cleared this tick, and how many are open (docs/attention.md) */
  attention: { raised: string[]; cleared: string[]; open: number } | null;
  /** rate-limited agents told to go on after their reset time */
  resumed: string[];
  /** the last merge gate pass that finished (docs/review.md), or null when none ran yet */
  gate: GatePass | null;
  /** the tick stopped because PostgreSQL is away (docs/pitfalls.md "PostgreSQL goes away") */
  store_error: string | null;
  /** cards put back by a drain this tick (docs/operations.md "Drain") */
  checkpointed: string[];
}

/**
 * fleetd's deterministic supervisor: reconcile (start what should run), tend leases (renew for
 * healthy agents, reclaim from dead ones), dispatch ready cards to available agents, drain
 * queued sends, ask the orchestrator to replan when the backlog runs dry. PAUSE stops
 * dispatch, restarts and every automated send within one tick; work in flight finishes.
 */
/** An event tick waits this long at least, so a burst of events (several agents at once) shares it. */
const EVENT_SETTLE_MS = 20;

export class Supervisor {
  private readonly rec: ReconcileState;
  private readonly delivering = new Map<string, Promise<unknown>>();
  /** the merge gate pass in flight: one at a time, beside the ticks (a check may take minutes) */
  private gating: Promise<void> | null = null;
  private lastGate: GatePass | null = null;
  private readonly drain = new DrainState();
  /** agents that worked a card since their last reset */
  private readonly dirty = new Set<string>();
  private readonly escalated = new Set<string>();
  private lastReplanAt = -Infinity;
  private readonly digests: DigestLoop;
  private readonly peerNotes = new PeerNotes();
  private ticking: Promise<TickReport> | null = null;
  private followUp: Promise<TickReport> | null = null;
  last: TickReport | null = null;

  private readonly northStar: NorthStarWatch;
  readonly attention: AttentionPass;
  /** blocked, in review and failed cards: read once for the escalation and the attention pass */
  private readonly cardsOfNote: CardsOfNote;
  /** what each tick tells the panel's push channel */
  private readonly changes: TickChanges;
  private readonly dispatcher: Dispatcher;
  /** the roster, parsed again only when the file changed: a tick reads it every few seconds */
  private readonly roster: () => LoadedRoster;

  constructor(private readonly o: SupervisorOptions) {
    this.roster = loadedRosterReader(o.home.roster);
    this.rec = { restarts: new Map(), halt: o.services.halt };
    this.changes = new TickChanges(o.services.changes);
    this.cardsOfNote = new CardsOfNote(o.services.backlog);
    this.dispatcher = new Dispatcher({
      roster: () => this.roster(),
      backlog: o.services.backlog,
      opts: o,
      makeDeps: o.makeDeps,
      log: o.log,
      delivering: () => new Set(this.delivering.keys()),
      rateLimited: () => this.attention.rateLimited(),
      paused: async () => (await this.pauseState()).paused,
      storeAway: (e) => Boolean(o.services.store.unreachable(e)),
      deliver: (deps, job) => this.deliver(deps, job),
    });
    this.digests = new DigestLoop(o.services.backlog, o.services.halt);
    this.attention = new AttentionPass({
      store: o.services.attention,
      cardsOfNote: this.cardsOfNote,
      log: o.log,
      onSync: o.onAttention,
      takeoverHeldSeconds: o.takeoverHeldSeconds,
    });
    const b = o.services.backlog;
    this.northStar = new NorthStarWatch(
      o.home.northStar,
      {
        cards: () => b.list({ limit: 10_000 }),
        create: (i) => b.create(i),
        update: (i) => b.update(i),
        link: (i) => b.link(i),
        unlink: (i) => b.unlink(i),
      },
      o.log,
    );
  }

  /**
   * Run one tick. Ticks never overlap: a call while one runs is answered by one more tick right
   * after it (that one sees whatever changed meanwhile); more calls share that follow-up.
   */
  tick(): Promise<TickReport> {
    if (!this.ticking) {
      this.ticking = this.runTick().finally(() => {
        this.ticking = null;
        this.tickEndedAt = Date.now();
      });
      return this.ticking;
    }
    this.followUp ??= this.ticking
      .catch(() => undefined)
      .then(() => {
        this.followUp = null;
        return this.tick();
      });
    return this.followUp;
  }

  /** PAUSE as every edge sees it (lib/ops/pause.ts); the tick honours it. */
  pauseState(): Promise<PauseView> {
    return this.o.services.pause.get();
  }

  /** Pull or release PAUSE through the one operation; releasing lifts a recovery halt. */
  setPause(paused: boolean, by: string, reason?: string): Promise<PauseView> {
    return this.o.services.pause.set({ paused, by, ...(reason ? { reason } : {}) });
  }

  /** Forget a failed agent's history (after `fleet up` or an operator restart). */
  clearFailure(name: string): void {
    const s = this.rec.restarts.get(name);
    if (s) this.rec.restarts.set(name, clearFailure(s));
  }

  /**
   * Dispatch now, apart from the tick (docs/architecture.md "Dispatch"): a card may have become
   * ready or an agent idle. Wake-ups during a pass cost one more pass right after it.
   */
  dispatchSoon(): Promise<void> {
    return this.dispatcher.soon();
  }

  /**
   * A fast pass a while after `agent` settled a card (`afterMs`), unless it was given another
   * meanwhile: then it is not free, and a pass for it would only read the backlog again.
   */
  dispatchAfterSettled(agent: string | null, afterMs: number): void {
    const mark = this.dispatcher.mark();
    setTimeout(() => {
      if (!this.stopped && !(agent && this.dispatcher.gaveSince(agent, mark)))
        void this.dispatchSoon();
    }, afterMs);
  }

  private tickEndedAt = -Infinity;
  private soon: { timer: NodeJS.Timeout | null } | null = null;
  private stopped = false;

  /**
   * A tick for an event (a status change, a card settled): at once when the fleet was quiet, and
   * at least `gapMs` after the last tick ended when it was not: events come many a second in a
   * busy fleet, and a tick reads every pane and writes the register. Events meanwhile share it.
   * Dispatch does not wait for it (`dispatchSoon`).
   */
  tickSoon(gapMs: number): void {
    if (this.soon || this.stopped) return;
    const soon: { timer: NodeJS.Timeout | null } = { timer: null };
    this.soon = soon;
    const fire = () => {
      soon.timer = null;
      if (this.stopped) return;
      if (this.ticking) {
        const later = () => {
          if (!this.stopped) soon.timer = setTimeout(fire, gapMs);
        };
        this.ticking.then(later, later);
        return;
      }
      this.soon = null;
      this.tick().catch((e: unknown) =>
        this.o.log(`supervisor tick: ${(e as Error)?.stack ?? String(e)}`),
      );
    };
    // never in the event's own turn: its dispatch (a delivery, typed from this same event loop)
    // goes first, and events of the next few milliseconds share this tick
    soon.timer = setTimeout(fire, Math.max(EVENT_SETTLE_MS, this.tickEndedAt + gapMs - Date.now()));
  }

  /** No fast dispatch pass and no event tick starts any more (shutdown). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.soon?.timer) clearTimeout(this.soon.timer);
    await this.dispatcher.stop();
  }

  /** Wait for deliveries in flight (shutdown, tests). */
  async idle(): Promise<void> {
    await this.dispatcher.idle();
    await Promise.allSettled([...this.delivering.values(), this.gating]);
  }

  /** Type a claimed card into its agent, reset first when it resets between tasks. */
  private deliver(deps: FleetDeps, job: DispatchJob): void {
    const needsReset = job.agent.resetBetweenTasks && this.dirty.has(job.agent.name);
    const reset = job.agent.resetCommand ?? adapterFor(job.agent).resetCommand;
    const { repoWork, backlog } = this.o.services;
    const delivery = deliverCard(deps, backlog, job, this.o, needsReset, reset, (card) =>
      repoWork.prepare(card),
    ).then((r) => {
      if (r?.verdict === 'submitted') this.dirty.add(job.agent.name);
    });
    this.track(job.agent.name, delivery);
  }

  /**
   * Start a merge gate pass unless one runs. It creates review cards, holds merges while PAUSE
   * is on (it asks before each merge), merges approved cards and sends conflicts back.
   */
  private startGate(deps: FleetDeps): void {
    if (this.gating) return;
    const reviewers = rosterAgents(deps)
      .filter((a) => a.class === REVIEWER_CLASS && a.enabled)
      .map((a) => a.name);
    this.gating = this.o.services.repoWork
      .gatePass(reviewers)
      .then((g) => {
        this.lastGate = g;
        // a merge made dependents ready, a return made the author's card ready: look now
        if (g.merged.length || g.returned.length || g.reviewCards.length)
          setTimeout(() => void this.tick().catch(() => undefined), 0);
      })
      .catch((e: unknown) => {
        if (!this.o.services.store.unreachable(e))
          this.o.log(`supervisor: merge gate: ${(e as Error).message}`);
      })
      .finally(() => (this.gating = null));
  }

  /** What the tick saw, for the attention pass that ends every tick, whatever path it took. */
  private seen: {
    deps: FleetDeps | null;
    rows: ReadonlyMap<string, PsRow>;
    claimed: CardView[];
    holding: Set<string>;
    pause: PauseView | null;
  } = { deps: null, rows: new Map(), claimed: [], holding: new Set(), pause: null };

  private async runTick(): Promise<TickReport> {
    this.seen = { deps: null, rows: new Map(), claimed: [], holding: new Set(), pause: null };
    let report: TickReport;
    try {
      report = await this.tickBody();
    } catch (e) {
      // PostgreSQL is away: the store says so once (docs/pitfalls.md "PostgreSQL goes away");
      // the agents keep running in tmux, and the next tick tries again
      const away = this.o.services.store.unreachable(e);
      if (!away) throw e;
      return (this.last = { ...this.blankReport(), store_error: away.message });
    }
    try {
      const r = await this.attention.run({
        deps: this.seen.deps,
        rows: this.seen.rows,
        pause: this.seen.pause ?? (await this.pauseState()),
        rosterError: report.roster_error,
        northstarError: report.northstar_error,
        escalated: this.escalated,
        claimed: this.seen.claimed,
        holding: this.seen.holding,
      });
      report.attention = {
        raised: r.raised.map((i) => i.id),
        cleared: r.cleared.map((i) => i.id),
        open: r.open.length,
      };
    } catch (e) {
      if (!this.o.services.store.unreachable(e))
        this.o.log(`supervisor: attention: ${(e as Error).message}`);
    }
    await this.tellChanges(report);
    return report;
  }

  /** What this tick saw that the panel shows, to its push channel (docs/api.md "Events"). */
  private async tellChanges(report: TickReport): Promise<void> {
    const pause = this.seen.pause;
    this.changes.afterTick({
      rows: this.seen.rows,
      rosterError: report.roster_error,
      northstarError: report.northstar_error,
      drain: pause ? this.drain.view(pause) : null,
      nowMs: Date.now(),
    });
    const { store, register, identity } = this.o.services;
    if (store.kind !== 'postgres') return;
    try {
      this.changes.otherHosts(await register.all(), identity.host);
    } catch (e) {
      if (!store.unreachable(e)) this.o.log(`supervisor: register: ${(e as Error).message}`);
    }
  }

  private blankReport(): TickReport {
    return {
      at: new Date().toISOString(),
      paused: false,
      roster_error: null,
      planned: null,
      northstar_error: null,
      reconcile: null,
      renewed: [],
      reclaimed: [],
      dispatched: [],
      replan_sent: false,
      escalated: [],
      digest_sent: false,
      peers_told: [],
      attention: null,
      resumed: [],
      gate: this.lastGate,
      store_error: null,
      checkpointed: [],
    };
  }

  private async tickBody(): Promise<TickReport> {
    const report = this.blankReport();
    await this.beat();
    const pause = await this.pauseState();
    this.seen.pause = pause;
    report.paused = pause.paused;
    try {
      report.planned = await this.northStar.check();
    } catch (e) {
      this.o.log(`supervisor: planning NORTH_STAR.yaml: ${(e as Error).message}`);
    }
    report.northstar_error = this.northStar.error;
    if (!existsSync(this.o.home.roster)) {
      report.roster_error = `no roster at ${this.o.home.roster}`;
      return (this.last = report);
    }
    let deps: FleetDeps;
    try {
      deps = this.o.makeDeps(this.roster());
    } catch (e) {
      report.roster_error = (e as Error).message;
      return (this.last = report);
    }
    const { backlog } = this.o.services;
    this.seen.deps = deps;
    this.dispatcher.remember(deps);
    let rows = await psByName(deps);
    this.seen.rows = rows;
    // the panel hears of a state change now, not after dispatch and the attention pass
    this.changes.rows({
      rows,
      rosterError: null,
      northstarError: report.northstar_error,
      nowMs: Date.now(),
    });
    await this.publish(deps, rows);
    this.syncFailures(deps, rows);
    if (!pause.paused) {
      report.reconcile = await reconcile(deps, rows, this.rec, this.o.staggerMs);
      this.recordFailures(deps, report.reconcile);
      if (report.reconcile.started.length) rows = this.seen.rows = await psByName(deps);
    }
    const claimed = await backlog.list({ status: 'claimed' });
    const held = heldCards(claimed, deps.host);
    this.seen.claimed = claimed;
    this.seen.holding = new Set(held.map((h) => h.agent));
    const leases = await tendLeases(
      backlog,
      held,
      rows,
      this.o,
      deps.now(),
      new Set(this.delivering.keys()),
    );
    report.renewed = leases.renewed;
    report.reclaimed = leases.reclaimed;
    this.startGate(deps);
    if (pause.paused && pause.drain) {
      const stillHeld = held.filter((h) => !leases.reclaimed.includes(h.card.id));
      report.checkpointed = await this.drainTick(deps, pause, rows, stillHeld);
    } else this.drain.reset(pause);
    if (pause.paused) return (this.last = report);

    // a rate-limited agent gets no new card until it is resumed (docs/attention.md)
    const limited = this.attention.rateLimited();
    const agents = rosterAgents(deps).filter((a) => isLocal(deps, a) && !limited.has(a.name));
    const { jobs, claimed: now } = await this.dispatcher.pass(deps, agents, rows);
    report.dispatched = jobs.map((j) => ({ card: j.card.id, agent: j.agent.name }));
    // what is held now, the fast passes' claims since this tick's read included
    const inFlight = (now ? heldCards(now, deps.host).length : held.length) + jobs.length;
    await this.drainQueues(deps, agents, rows);
    report.escalated = await this.escalate(deps, rows);
    report.digest_sent = await this.digests.tick(deps, rows, report.escalated, this.delivering);
    report.peers_told = await this.peerNotes.tick(deps, rows, this.delivering);
    await this.tellNorthStarProblem(deps, rows);
    report.replan_sent = await this.replan(deps, agents, rows, inFlight);
    report.resumed = await this.resumeLimited(deps, rows);
    return (this.last = report);
  }

  /**
   * One look of a drain (lib/supervisor/drain.ts): cards of agents that ended their turn are
   * put back with their note, and what still works is kept for `fleet drain` to show.
   */
  private async drainTick(
    deps: FleetDeps,
    pause: PauseView,
    rows: ReadonlyMap<string, PsRow>,
    held: readonly HeldCard[],
  ): Promise<string[]> {
    const agents = rosterAgents(deps)
      .filter((a) => isLocal(deps, a) && a.enabled)
      .map((a) => a.name);
    const step = this.drain.look(pause, {
      rows,
      agents,
      held: held.map((h) => ({
        card: h.card.id,
        title: h.card.title,
        agent: h.agent,
        claimedAt: h.card.claimed_at,
      })),
      delivering: new Set(this.delivering.keys()),
      nowMs: deps.now(),
      settleMs: DRAIN_SETTLE_MS,
    });
    const done: string[] = [];
    const failed: { card: string; agent: string }[] = [];
    for (const c of step.checkpoint) {
      try {
        await this.o.services.backlog.reclaim({ id: c.card, actor: 'drain', note: c.note });
        this.drain.checkpointed(c, deps.now());
        done.push(c.card);
        this.o.log(`drain: ${c.agent} ended its turn holding ${c.card}: put back to ready`);
      } catch (e) {
        failed.push(c);
        this.o.log(`drain: putting back ${c.card} of ${c.agent}: ${(e as Error).message}`);
      }
    }
    this.drain.settle(failed, deps.now());
    return done;
  }

  /** What the drain saw at its last look (docs/operations.md "Drain"). */
  drainView(pause: PauseView): DrainView {
    return this.drain.view(pause);
  }

  /** Tell rate-limited agents whose reset time came to go on, verified, one stagger apart. */
  private async resumeLimited(
    deps: FleetDeps,
    rows: ReadonlyMap<string, PsRow>,
  ): Promise<string[]> {
    const out: string[] = [];
    for (const name of this.attention.dueResumes(deps.now())) {
      const agent = rosterAgents(deps).find((a) => a.name === name);
      const row = rows.get(name);
      if (!agent || this.delivering.has(name) || row?.readiness !== 'available' || row.takeover)
        continue;
      const text = adapterFor(agent).resumeText ?? 'continue';
      this.attention.resumed(name, deps.now());
      const r = await sendVerified(deps, {
        agent,
        text,
        source: null,
        verify: true,
        timeoutMs: 10_000,
        waitMs: 0,
        whenIdle: true,
        queueOnDefer: false,
      });
      this.o.log(`supervisor: resumed rate-limited ${name}: ${r.verdict} (${r.detail})`);
      if (r.verdict === 'submitted') out.push(name);
    }
    return out;
  }

  private readonly startedAt = new Date();

  /** This host's row in the register: alive, with its tick (docs/architecture.md "The register"). */
  private async beat(): Promise<void> {
    try {
      await this.o.services.register.beat({
        pid: process.pid,
        version: this.o.services.version,
        tick_ms: this.o.tickMs ?? 5_000,
        started_at: this.startedAt,
      });
    } catch (e) {
      if (!this.o.services.store.unreachable(e))
        this.o.log(`supervisor: register: ${(e as Error).message}`);
    }
  }

  /** This host's agents, as `fleet ps` sees them, for every host to read. */
  private async publish(deps: FleetDeps, rows: ReadonlyMap<string, PsRow>): Promise<void> {
    const classes = new Map(rosterAgents(deps).map((a) => [a.name, a.class]));
    try {
      await this.o.services.register.publish(
        // this host's agents only: a roster agent of another host is that host's to register
        [...rows.values()]
          .filter((row) => row.host === deps.host)
          .map((row) => ({ row, class: classes.get(row.name) ?? 'unmanaged' })),
      );
    } catch (e) {
      if (!this.o.services.store.unreachable(e))
        this.o.log(`supervisor: register: ${(e as Error).message}`);
    }
  }

  private track(agent: string, p: Promise<unknown>): void {
    const done = p
      .catch((e: unknown) =>
        this.o.log(`supervisor: delivery to ${agent}: ${(e as Error).message}`),
      )
      .finally(() => this.delivering.delete(agent));
    this.delivering.set(agent, done);
  }

  /** Restart-policy failures are shown by `fleet ps` through run/<name>.launch.json. */
  private recordFailures(deps: FleetDeps, r: ReconcileReport): void {
    for (const f of r.failed) {
      const s = readLaunchState(deps.home, f.name);
      if (s.failed !== f.reason) writeLaunchState(deps.home, f.name, { ...s, failed: f.reason });
    }
  }

  /** An agent started by someone else (fleet up/restart) is no longer failed. */
  private syncFailures(deps: FleetDeps, rows: ReadonlyMap<string, PsRow>): void {
    for (const [name, row] of rows) {
      if (row.session === 'alive' && this.rec.restarts.get(name)?.failed) this.clearFailure(name);
      if (row.session === 'alive' && row.failed)
        writeLaunchState(deps.home, name, { ...readLaunchState(deps.home, name), failed: null });
    }
  }

  private async drainQueues(
    deps: FleetDeps,
    agents: FleetDepsAgents,
    rows: ReadonlyMap<string, PsRow>,
  ): Promise<void> {
    for (const a of agents) {
      const row = rows.get(a.name);
      if (this.delivering.has(a.name) || row?.readiness !== 'available' || row.takeover) continue;
      if (!listQueue(deps.home, a.name).length) continue;
      this.track(a.name, drainQueue(deps, a, 10_000));
    }
  }

  private orchestrator(agents: FleetDepsAgents, rows: ReadonlyMap<string, PsRow>) {
    const o = agents.find((a) => a.class === ORCHESTRATOR);
    if (!o || this.delivering.has(o.name)) return null;
    const row = rows.get(o.name);
    return row?.readiness === 'available' && !row.takeover ? o : null;
  }

  /** An invalid NORTH_STAR.yaml reaches the orchestrator, who owns the goals, once per version. */
  private async tellNorthStarProblem(deps: FleetDeps, rows: ReadonlyMap<string, PsRow>) {
    const problem = this.northStar.untold();
    const orch = problem && this.orchestrator(rosterAgents(deps), rows);
    if (!problem || !orch) return;
    const text = `[fleet northstar] NORTH_STAR.yaml is not planned: ${escapeControls(problem)}. Fix it; fleetd plans it as soon as it is saved.`;
    const r = await tellOrchestrator(deps, orch, text);
    if (r.verdict === 'submitted') this.northStar.markTold();
  }

  private async escalate(deps: FleetDeps, rows: ReadonlyMap<string, PsRow>): Promise<string[]> {
    const agents = rosterAgents(deps);
    const blocked = (await this.cardsOfNote.get()).filter(
      (c) => c.status === 'blocked' && c.attempts >= c.max_attempts && !this.escalated.has(c.id),
    );
    const orch = this.orchestrator(agents, rows);
    if (!blocked.length || !orch) return [];
    const text = blocked.map((c) => escalationPrompt(c)).join('\n');
    const r = await tellOrchestrator(deps, orch, text);
    if (r.verdict !== 'submitted') return [];
    for (const c of blocked) this.escalated.add(c.id);
    return blocked.map((c) => c.id);
  }

  private async replan(
    deps: FleetDeps,
    agents: FleetDepsAgents,
    rows: ReadonlyMap<string, PsRow>,
    inFlight: number,
  ): Promise<boolean> {
    const now = deps.now();
    const seconds = deps.loaded.roster.defaults.replan_interval_seconds;
    const interval = seconds === undefined ? this.o.replanIntervalMs : seconds * 1000;
    if (now - this.lastReplanAt < interval || inFlight > 0) return false;
    const stats = await this.o.services.backlog.stats();
    if (stats.ready_eligible > 0) return false;
    const idle = agents
      .filter(
        (a) => !NON_WORKER_CLASSES.has(a.class) && rows.get(a.name)?.readiness === 'available',
      )
      .map((a) => a.name);
    const orch = this.orchestrator(agents, rows);
    if (!idle.length || !orch) return false;
    this.lastReplanAt = now;
    const text = replanPrompt(
      { total: stats.total, done: stats.counts.done, blocked: stats.counts.blocked },
      idle,
    );
    const r = await tellOrchestrator(deps, orch, text);
    return r.verdict === 'submitted';
  }
}

type FleetDepsAgents = ReturnType<typeof rosterAgents>;

const tellOrchestrator = tellAgent;
