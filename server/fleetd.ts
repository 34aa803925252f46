/**
 * fleetd's composition root: the one process per host and FLEET_HOME that owns the store
 * (docs/architecture.md "Processes"). Order matters: take the lock, open and migrate the store, build the
 * services, start the components, and only then accept API calls; stop in reverse.
 */
import os from 'node:os';
import { ensurePrivateDir, privatizeTree } from '../lib/fsutil.js';
import { privateDirs, type FleetHome } from '../lib/home.js';
import { octal } from '../lib/perms.js';
import { RegisterStore } from '../lib/store/register.js';
import { BacklogService, type CompletionGuard } from '../lib/store/backlog.js';
import { openStore, type Store } from '../lib/store/db.js';
import { FlagStore } from '../lib/store/flags.js';
import { AttentionStore } from '../lib/store/attention.js';
import { AgentEventStore } from '../lib/store/agent-events.js';
import { createTimelineOps, storeSink } from '../lib/ops/timeline.js';
import { createInboxOps, InboxSignals } from '../lib/ops/inbox.js';
import { fleetDepsFor } from '../lib/ops/fleet-view.js';
import { ReadySignal } from '../lib/store/signal.js';
import { RelayStore } from '../lib/store/relay.js';
import { createRelayOps, relayRunner, type RelayDeps } from '../lib/ops/relay.js';
import { relayComponent } from './relay.js';
import { holdPrivateUmask } from '../lib/umask.js';
import { listenOnSocket } from './api.js';
import { registerRoutes } from './routes/index.js';
import { fleetdPs } from '../lib/ops/ps-view.js';
import type { FleetdParts } from './routes/parts.js';
import { StoreExposer } from './db-expose.js';
import { acquireLock, type HeldLock } from './lock.js';
import {
  analyzeComponent,
  historyComponent,
  readyListener,
  reaperComponent,
  vacuumComponent,
  type Component,
  type Log,
} from './maintenance.js';
import { Router } from './router.js';
import { pauseOps, RecoveryHalt } from '../lib/ops/pause.js';
import { createRepoWork, createReviewOps, type ReviewDeps } from '../lib/ops/review.js';
import { createWorktreeOps, operatorGit } from '../lib/ops/worktrees.js';
import { execFileRunner } from '../lib/runner.js';
import { rosterReader } from '../lib/roster/load.js';
import { runCheck } from './supervisor/check.js';
import { drainOps } from '../lib/ops/drain.js';
import { ChangeHub } from '../lib/changes/hub.js';
import { rosterWatch } from './roster-watch.js';
import { useTmuxControl } from '../lib/tmux/control.js';
import type { FleetServices } from './services.js';

export type { Component } from './maintenance.js';

export interface FleetdOptions {
  home: FleetHome;
  /** PostgreSQL instead of the embedded PGlite in home.dbDir */
  databaseUrl?: string;
  tenantId?: string;
  host?: string;
  poolSize?: number;
  /** PGlite VACUUM (ANALYZE) period; 0 turns it off */
  vacuumIntervalMs?: number;
  /** expired-lease reaper period; 0 turns it off */
  reapIntervalMs?: number;
  version?: string;
  /** fleetd's environment (default process.env): only allowlisted keys reach agents */
  env?: NodeJS.ProcessEnv;
  log?: Log;
  /** checks a card's acceptance before its completion counts (given when supervising) */
  completionGuard?: CompletionGuard;
  /**
   * What the composition root adds over the services (supervisor loop, web panel, their
   * operations): components are started before the API; their routes are in the one table.
   */
  compose?: (services: FleetServices) => FleetdParts;
}

export interface Fleetd {
  services: FleetServices;
  router: Router;
  socketPath: string;
  lock: HeldLock;
  stop(): Promise<void>;
}

const DEFAULTS = {
  vacuumIntervalMs: 15 * 60_000,
  reapIntervalMs: 10_000,
  historyIntervalMs: 3_600_000,
};

/** More cards than this touched by one mutation are published as one `backlog` event. */
const MANY_CARDS = 20;

function apiComponent(router: Router, socketPath: string): Component {
  let server: Awaited<ReturnType<typeof listenOnSocket>> | undefined;
  return {
    name: 'api',
    start: async () => {
      server = await listenOnSocket(router, socketPath);
    },
    stop: async () => server?.close(),
  };
}

/** A component that takes longer than this to stop is named in the log. */
const SLOW_STOP_MS = 3_000;

async function stopAll(components: Component[], log: Log): Promise<void> {
  for (const c of components) {
    const started = Date.now();
    const slow = setTimeout(() => log(`stopping ${c.name}: still waiting`), SLOW_STOP_MS);
    try {
      await c.stop();
    } catch (e) {
      log(`stopping ${c.name}: ${(e as Error)?.message ?? String(e)}`);
    } finally {
      clearTimeout(slow);
      if (Date.now() - started >= SLOW_STOP_MS)
        log(`stopping ${c.name} took ${Math.round((Date.now() - started) / 1000)} s`);
    }
  }
}

/**
 * Private before anything is written (docs/security.md "Other local users"): umask 077 for the
 * store's files and sockets, and FLEET_HOME, run/ and db/ made 0700, tightening a home left
 * looser by an older version or by hand, one log line per path.
 */
function makePrivate(opts: FleetdOptions, log: Log): () => void {
  const release = holdPrivateUmask();
  try {
    for (const dir of privateDirs(opts.home, { store: !opts.databaseUrl })) {
      const c = ensurePrivateDir(dir);
      if (c) log(`made ${c.path} private: mode ${octal(c.from)} -> ${octal(c.to)}`);
    }
  } catch (e) {
    release();
    throw e;
  }
  return release;
}

function buildServices(
  store: Store,
  opts: FleetdOptions,
  signal: ReadySignal,
  log: Log,
): FleetServices {
  const tenantId = opts.tenantId ?? 'default';
  const host = opts.host ?? os.hostname();
  const flags = new FlagStore(store.db, tenantId, host);
  const halt = new RecoveryHalt();
  // every change the panel shows, published where it is made (docs/api.md "Events")
  const changes = new ChangeHub();
  const pause = pauseOps({ home: opts.home, flags, host, halt }, () => changes.publish('pause'));
  const attention = new AttentionStore(store.db, tenantId, host, () => changes.publish('inbox'));
  const roster = rosterReader(opts.home.roster);
  const backlog = new BacklogService(
    {
      db: store.db,
      kind: store.kind,
      tenantId,
      host,
      signal,
      writes: { count: 0 },
    },
    {
      completionGuard: opts.completionGuard,
      repos: () => {
        try {
          const r = roster();
          return { names: r.repos.map((x) => x.name), default: r.default_repo ?? null };
        } catch {
          return undefined; // an invalid roster is reported elsewhere; the card is taken as given
        }
      },
    },
  );
  backlog.onChanged((ids) => {
    // a sweep of many cards (a reaper pass) is one event: the panel reads the board once
    if (ids.length > MANY_CARDS) changes.publish('backlog');
    else for (const id of ids) changes.publish('card', id);
  });
  const inboxSignals = new InboxSignals();
  const env = opts.env ?? process.env;
  const identity = { tenant_id: tenantId, host };
  const repoDeps = {
    home: opts.home,
    git: operatorGit(),
    roster,
    backlog,
    identity,
    log,
  };
  const reviewDeps: ReviewDeps = {
    ...repoDeps,
    paused: async () => (await pause.get()).paused,
    runCheck,
    runner: execFileRunner,
    now: () => new Date(),
    // an answer is work for the merge gate or the dispatcher: tick now
    onAnswer: () => signal.emit(tenantId),
  };
  const register = new RegisterStore(store.db, tenantId, host);
  const events = new AgentEventStore(store.db, tenantId, host);
  const agentEvents = storeSink(events, log, store.unreachable);
  const relayDeps: RelayDeps = {
    relay: new RelayStore(
      store.db,
      store.kind,
      tenantId,
      host,
      `${process.pid}@${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`,
    ),
    register,
    host,
    deps: () => fleetDepsFor({ home: opts.home, env, host, pause, log, agentEvents }),
    log,
  };
  return {
    identity,
    backlog,
    register,
    relay: createRelayOps(relayDeps),
    relayDeps,
    flags,
    ps: fleetdPs({ home: opts.home, env, host, log, register }),
    attention,
    inbox: createInboxOps({
      attention,
      backlog,
      pause,
      flags,
      deps: () => fleetDepsFor({ home: opts.home, env, host, pause, log, agentEvents }),
      signals: inboxSignals,
      log,
    }),
    inboxSignals,
    review: createReviewOps(reviewDeps),
    repoWork: createRepoWork(reviewDeps),
    worktrees: createWorktreeOps(repoDeps),
    timeline: createTimelineOps({ identity, events, now: () => new Date(), log }),
    agentEvents,
    history: events,
    halt,
    pause,
    drain: drainOps(pause),
    ready: signal,
    changes,
    store: {
      kind: store.kind,
      location: store.location,
      exposer: new StoreExposer(store, { runDir: opts.home.runDir, log }),
      db: store.db,
      unreachable: store.unreachable,
    },
    startedAt: new Date(),
    version: opts.version ?? process.env.FLEET_VERSION ?? '0.1.0',
  };
}

/**
 * fleetd reads and types into panes through one tmux control client per server instead of a
 * tmux process per call (lib/tmux/control.ts); the first to start, the last to stop.
 */
function tmuxControlComponent(): Component {
  let release = () => {};
  return {
    name: 'tmux-control',
    start: async () => {
      release = useTmuxControl();
    },
    stop: async () => release(),
  };
}

export async function startFleetd(opts: FleetdOptions): Promise<Fleetd> {
  const log = opts.log ?? (() => undefined);
  const releaseUmask = makePrivate(opts, log);
  let lock: HeldLock;
  try {
    lock = acquireLock(opts.home.lock);
  } catch (e) {
    releaseUmask();
    throw e;
  }
  if (lock.tookOverFrom) log(`took over the lock of dead fleetd pid ${lock.tookOverFrom}`);
  const started: Component[] = [];
  let store: Store | undefined;
  try {
    store = await openStore(
      opts.databaseUrl
        ? { url: opts.databaseUrl, poolSize: opts.poolSize, log }
        : { dataDir: opts.home.dbDir },
    );
    await store.migrate();
    if (store.kind === 'pglite') {
      const n = privatizeTree(opts.home.dbDir);
      if (n) log(`made ${n} entries under ${opts.home.dbDir} private (no group/other access)`);
    }
    const signal = new ReadySignal();
    const services = buildServices(store, opts, signal, log);
    const router = new Router();
    router.onError = (e, where) => log(`${where}: ${(e as Error)?.stack ?? String(e)}`);
    const unreachable = store.unreachable;
    router.translate = (e) => unreachable(e) ?? e;
    const parts = opts.compose?.(services) ?? { components: [] };
    registerRoutes(router, services, parts);
    const components = [
      tmuxControlComponent(),
      ...(store.kind === 'pglite'
        ? [
            vacuumComponent(store, opts.vacuumIntervalMs ?? DEFAULTS.vacuumIntervalMs, log),
            analyzeComponent(store, () => services.backlog.writes, log),
          ]
        : []),
      ...(store.kind === 'postgres'
        ? [
            // another host's card writes: which cards is not said, so the whole board
            readyListener(store, signal, log, (tenant) => {
              if (tenant === services.identity.tenant_id) services.changes.publish('backlog');
            }),
            relayComponent({
              store,
              relay: services.relayDeps.relay,
              ops: services.relay,
              runner: relayRunner(services.relayDeps),
              tenantId: services.identity.tenant_id,
              host: services.identity.host,
              log,
            }),
          ]
        : []),
      rosterWatch(opts.home.roster, () => services.changes.publish('roster'), log),
      reaperComponent(
        services.backlog,
        opts.reapIntervalMs ?? DEFAULTS.reapIntervalMs,
        log,
        unreachable,
      ),
      historyComponent(
        { events: services.history, attention: services.attention },
        DEFAULTS.historyIntervalMs,
        log,
        unreachable,
      ),
      ...parts.components,
      apiComponent(router, opts.home.socket),
    ];
    for (const c of components) {
      await c.start();
      started.unshift(c);
    }
    log(
      `fleetd ${process.pid} serving ${opts.home.socket} (store: ${store.kind} ${store.location})`,
    );
    const openStoreRef = store;
    let stopping: Promise<void> | undefined;
    const stop = () =>
      (stopping ??= (async () => {
        await stopAll(started, log);
        await services.store.exposer.close('fleetd stopping').catch(() => false);
        await openStoreRef.close();
        lock.release();
        releaseUmask();
        log(`fleetd ${process.pid} stopped`);
      })());
    return { services, router, socketPath: opts.home.socket, lock, stop };
  } catch (e) {
    await stopAll(started, log);
    await store?.close().catch(() => undefined);
    lock.release();
    releaseUmask();
    throw e;
  }
}

/**
 * Run fleetd in the foreground until SIGTERM or SIGINT, then shut down cleanly. This is what
 * `fleet serve` (and the systemd unit) runs.
 */
export async function runFleetd(opts: FleetdOptions): Promise<void> {
  const fleetd = await startFleetd(opts);
  await new Promise<void>((resolve, reject) => {
    const onSignal = (sig: NodeJS.Signals) => {
      opts.log?.(`${sig}: shutting down`);
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      fleetd.stop().then(resolve, reject);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}
