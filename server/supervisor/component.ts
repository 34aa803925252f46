import os from 'node:os';
import { rosterReader } from '@/lib/roster/load.js';
import { submission } from '@/lib/ops/review.js';
import { operatorGit } from '@/lib/ops/worktrees.js';
import { resolveAgent } from '@/lib/roster/resolve.js';
import type { CompletionGuard } from '@/lib/store/backlog.js';
import { runCheck } from './check.js';
import { parseOwner } from './owner.js';
import { buildFleetDeps } from '@/lib/fleet/build-deps.js';
import type { FleetHome } from '@/lib/home.js';
import type { Component, Log } from '../maintenance.js';
import type { SupervisorControl } from '../routes/parts.js';
import type { FleetServices } from '../services.js';
import { Supervisor, type SupervisorOptions } from './supervisor.js';
import { watchAgentStates } from './state-watch.js';

export interface SupervisorConfig {
  home: FleetHome;
  env: NodeJS.ProcessEnv;
  log: Log;
  /** default 5 s */
  tickMs?: number;
  leaseTtlSeconds?: number;
  deliverTimeoutMs?: number;
  staggerMs?: number;
  replanIntervalMs?: number;
  fleetBin?: string;
  makeDeps?: SupervisorOptions['makeDeps'];
  /** items raised or cleared by a tick (the connector's notifications) */
  onAttention?: SupervisorOptions['onAttention'];
  /** a takeover held longer than this is raised in the inbox */
  takeoverHeldSeconds?: number;
}

/**
 * What a reported completion becomes. A repository card (docs/review.md) is checked in its
 * worktree and goes to review; a review card waits for its answer; any other card's acceptance
 * check runs in the working directory of the agent that holds it. A failing check sends the card
 * back with the output.
 */
export function acceptanceGuard(home: FleetHome, log: Log): CompletionGuard {
  const roster = rosterReader(home.roster);
  const git = operatorGit();
  return async (card, input, backlog) => {
    const routed = await submission({ backlog, git, roster, home, runCheck, log }, card, input);
    if (routed !== 'plain') return routed;
    if (!card.acceptance.check) return null;
    const owner = parseOwner(card.claim_owner);
    let cwd = os.homedir();
    try {
      const agent = owner && roster().agents.find((a) => a.name === owner.agent);
      if (agent) cwd = resolveAgent(roster(), agent).workingDirectory;
    } catch (e) {
      log(
        `acceptance check for ${card.id}: roster unreadable (${(e as Error).message}); running in ${cwd}`,
      );
    }
    const r = await runCheck(card.acceptance.check, cwd);
    log(`acceptance check for ${card.id}: ${r.ok ? 'passed' : `failed (exit ${r.exitCode})`}`);
    return r.ok
      ? null
      : { fail: `acceptance check failed (exit ${r.exitCode ?? 'none'}): ${r.output}` };
  };
}

/**
 * Events (a status change, a card settled or made ready) wake a tick no sooner than this after
 * the last one; dispatch does not wait for it (docs/architecture.md "Dispatch").
 */
const EVENT_TICK_GAP_MS = 250;
/** A settled card's agent is looked at again this long after, whatever its reports say. */
const SETTLED_DISPATCH_MS = 300;

const SUPERVISOR_DEFAULTS = {
  tickMs: 5_000,
  leaseTtlSeconds: 300,
  deliverTimeoutMs: 60_000,
  staggerMs: 250,
  replanIntervalMs: 10 * 60_000,
};

/**
 * The supervisor as a fleetd component: a tick every `tickMs`, and an early tick whenever the
 * backlog signals that a card may have become ready (event-driven dispatch). `control` is what
 * its routes in the one table (server/routes/supervisor.ts) ask of it.
 */
export function supervisorComponent(
  services: FleetServices,
  cfg: SupervisorConfig,
): Component & { supervisor: Supervisor; control: SupervisorControl } {
  const c = {
    ...SUPERVISOR_DEFAULTS,
    ...Object.fromEntries(Object.entries(cfg).filter(([, v]) => v !== undefined)),
  } as SupervisorConfig & typeof SUPERVISOR_DEFAULTS;
  const supervisor = new Supervisor({
    home: c.home,
    services,
    log: c.log,
    staggerMs: c.staggerMs,
    replanIntervalMs: c.replanIntervalMs,
    leaseTtlSeconds: c.leaseTtlSeconds,
    deliverTimeoutMs: c.deliverTimeoutMs,
    fleetBin: c.fleetBin ?? 'fleet',
    onAttention: c.onAttention,
    takeoverHeldSeconds: c.takeoverHeldSeconds,
    tickMs: c.tickMs,
    makeDeps:
      c.makeDeps ??
      ((loaded) =>
        buildFleetDeps({
          home: c.home,
          loaded,
          env: c.env,
          log: c.log,
          host: services.identity.host,
          agentEvents: services.agentEvents,
          actor: 'supervisor',
        })),
  });
  const id = services.identity;
  const control: SupervisorControl = {
    tickMs: c.tickMs,
    last: () => supervisor.last,
    tick: () => supervisor.tick(),
  };
  // `fleet drain` and the panel read the drain as this supervisor last saw it
  services.drain.attach({ view: (p) => supervisor.drainView(p), look: () => supervisor.tick() });

  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const abort = new AbortController();
  const run = async () => {
    if (stopped) return;
    try {
      await supervisor.tick();
    } catch (e) {
      c.log(`supervisor tick: ${(e as Error)?.stack ?? String(e)}`);
    }
    if (!stopped) timer = setTimeout(run, c.tickMs);
  };
  // an agent that reported done is free again: look for its next card as soon as its heartbeat
  // can say idle (a status change wakes the pass at once; this is for runtimes whose reports
  // do not change), and let the tick see the rest of what changed
  const unsubscribe = services.backlog.onSettled((card) => {
    if (stopped) return;
    supervisor.dispatchAfterSettled(
      parseOwner(card.claim_owner)?.agent ?? null,
      SETTLED_DISPATCH_MS,
    );
    supervisor.tickSoon(EVENT_TICK_GAP_MS);
  });
  // an operator answered an inbox item: look again now, and do not raise that screen again
  const unanswered = services.inboxSignals.on(({ item }) => {
    supervisor.attention.markAnswered(item);
    if (!stopped) void supervisor.tick().catch(() => undefined);
  });
  // an agent's reported status changed: one that became idle may take a card now, and one that
  // waits for a human reaches the inbox at the next tick (docs/attention.md "How fast")
  const stateChanged = (_agent: string, status: string) => {
    if (stopped) return;
    if (status === 'idle') void supervisor.dispatchSoon();
    supervisor.tickSoon(EVENT_TICK_GAP_MS);
  };
  let unwatch = () => {};
  // a card may have become ready (created, unblocked, its dependencies done): dispatch now
  const listen = async () => {
    while (!stopped) {
      const next = services.ready.next(id.tenant_id, 60_000, abort.signal);
      if (!(await next.promise) || stopped) continue;
      void supervisor.dispatchSoon();
      supervisor.tickSoon(EVENT_TICK_GAP_MS);
    }
  };
  return {
    name: 'supervisor',
    supervisor,
    control,
    start: async () => {
      // an agent that starts waiting for a human reaches the inbox now, not at the next tick
      unwatch = watchAgentStates(c.home.runDir, stateChanged, c.log);
      timer = setTimeout(run, 0);
      void listen();
    },
    stop: async () => {
      stopped = true;
      unsubscribe();
      unanswered();
      unwatch();
      abort.abort();
      clearTimeout(timer);
      await supervisor.stop();
      await supervisor.idle();
    },
  };
}
