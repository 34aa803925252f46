import type { BacklogService } from '../lib/store/backlog.js';
import type { RegisterStore } from '../lib/store/register.js';
import type { Identity } from '../lib/store/contract.js';
import type { FlagStore } from '../lib/store/flags.js';
import type { AttentionStore } from '../lib/store/attention.js';
import type { InboxOps } from '../lib/attention/types.js';
import type { InboxSignals } from '../lib/ops/inbox.js';
import type { RepoWork } from '../lib/ops/review.js';
import type { ReviewOps, WorktreeOps } from '../lib/review/contract.js';
import type { Db, Store, StoreKind } from '../lib/store/db.js';
import type { ReadySignal } from '../lib/store/signal.js';
import type { PauseOps, RecoveryHalt } from '../lib/ops/pause.js';
import type { DrainOps } from '../lib/ops/drain.js';
import type { StoreExposer } from './db-expose.js';
import type { RelayDeps, RelayOps } from '../lib/ops/relay.js';
import type { PsScope } from '../lib/fleet/ps-scope.js';
import type { PsView } from '../lib/ops/ps-view.js';
import type { TimelineOps } from '../lib/ops/timeline.js';
import type { AgentEventSink } from '../lib/timeline/contract.js';
import type { AgentEventStore } from '../lib/store/agent-events.js';
import type { ChangeHub } from '../lib/changes/hub.js';

/** What fleetd's routes (and later its supervisor and web panel) are given to work with. */
export interface FleetServices {
  identity: Identity;
  backlog: BacklogService;
  /** the register: this host's row and its agents' ps rows, every host's for reading */
  register: RegisterStore;
  /** a send, restart or terminate for an agent on any host (lib/ops/relay.ts) */
  relay: RelayOps;
  /** what the relay's runner is built from (server/relay.ts) */
  relayDeps: RelayDeps;
  flags: FlagStore;
  /** `fleet ps` for a caller of this host and tmux server, else null (lib/ops/ps-view.ts) */
  ps(scope: PsScope): Promise<PsView | null>;
  /** the attention inbox and the notification outbox (docs/attention.md) */
  attention: AttentionStore;
  /** the inbox's operations, for every edge (lib/ops/inbox.ts), and their answers' signal */
  inbox: InboxOps;
  inboxSignals: InboxSignals;
  /** review and the merge gate's answers (lib/ops/review.ts), for every edge */
  review: ReviewOps;
  /** the worktrees of repo cards (lib/ops/worktrees.ts) */
  worktrees: WorktreeOps;
  /** the supervisor's side of repositories: worktrees at claim, the merge gate's pass */
  repoWork: RepoWork;
  /** every change the panel shows, for its push channel (docs/api.md "Events") */
  changes: ChangeHub;
  /** "a card may have become ready" for this tenant, from this host or (PostgreSQL) any host */
  ready: ReadySignal;
  /**
   * `db` is for in-process components that keep their own tables in the store (web auth);
   * `unreachable` tells a failure that means PostgreSQL is away (lib/store/db.ts)
   */
  store: {
    kind: StoreKind;
    location: string;
    exposer: StoreExposer;
    db: Db;
    unreachable: Store['unreachable'];
  };
  /** who did what: one agent's timeline, and its events' recording (lib/ops/timeline.ts) */
  timeline: TimelineOps;
  /** the sink every FleetDeps built in fleetd records agent events into */
  agentEvents: AgentEventSink;
  /** the agent events table, for the history's retention (server/maintenance.ts) */
  history: Pick<AgentEventStore, 'prune'>;
  /** the supervisor's recovery halt on this host (set by reconcile, lifted by resume) */
  halt: RecoveryHalt;
  /** PAUSE for every edge: the socket API, the panel, the supervisor (lib/ops/pause.ts) */
  pause: PauseOps;
  /** drain: PAUSE while every agent finishes its turn (lib/ops/drain.ts) */
  drain: DrainOps;
  startedAt: Date;
  version: string;
}
