import type { BacklogService } from '../lib/store/backlog.js';
import type { AgentRegistry } from '../lib/store/agents.js';
import type { RegisterStore } from '../lib/store/register.js';
import type { Identity } from '../lib/store/contract.js';
import type { FlagStore } from '../lib/store/flags.js';
import type { AttentionStore } from '../lib/store/attention.js';
import type { InboxOps } from '../lib/attention/types.js';
import type { InboxSignals } from '../lib/ops/inbox.js';
import type { RepoWork } from '../lib/ops/review.js';
import type { ReviewOps, WorktreeOps } from '../lib/review/contract.js';
import type { Db, StoreKind } from '../lib/store/db.js';
import type { ReadySignal } from '../lib/store/signal.js';
import type { PauseOps, RecoveryHalt } from '../lib/ops/pause.js';
import type { StoreExposer } from './db-expose.js';

/** What fleetd's routes (and later its supervisor and web panel) are given to work with. */
export interface FleetServices {
  identity: Identity;
  backlog: BacklogService;
  agents: AgentRegistry;
  /** the register: this host's row and its agents' ps rows, every host's for reading */
  register: RegisterStore;
  flags: FlagStore;
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
  /** "a card may have become ready" for this tenant, from this host or (PostgreSQL) any host */
  ready: ReadySignal;
  /** `db` is for in-process components that keep their own tables in the store (web auth) */
  store: { kind: StoreKind; location: string; exposer: StoreExposer; db: Db };
  /** the supervisor's recovery halt on this host (set by reconcile, lifted by resume) */
  halt: RecoveryHalt;
  /** PAUSE for every edge: the socket API, the panel, the supervisor (lib/ops/pause.ts) */
  pause: PauseOps;
  startedAt: Date;
  version: string;
}
