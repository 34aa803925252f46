/**
 * How Next's pages, server actions and route handlers reach fleetd's in-process services. Next
 * compiles the app into its own bundle, so the web component (server/web/component.ts, running
 * in fleetd) hands the live instances over through one well-known global before Next starts.
 * Nothing on the Next side ever opens the store: PGlite must be opened once, by fleetd.
 */
import type { FleetAuth } from '../auth/auth.js';
import type { SetupToken } from '../auth/setup-token.js';
import type { SignInThrottle } from '../auth/throttle.js';
import type { CreatedUser, CreateUserInput } from '../auth/users.js';
import type { FleetHome } from '../home.js';
import type { BacklogService } from '../store/backlog.js';
import type { Identity } from '../store/contract.js';
import type { PauseOps } from '../ops/pause.js';
import type { DrainOps } from '../ops/drain.js';
import type { Retired } from '../ops/roster.js';
import type { AgentDetail, FleetSnapshot } from './types.js';
import type { InboxOps } from '../attention/types.js';
import type { ReviewOps, WorktreeOps } from '../review/contract.js';
import type { TimelineOps } from '../ops/timeline.js';

export interface FleetOps {
  snapshot(): Promise<FleetSnapshot>;
  agent(name: string): Promise<AgentDetail>;
  /** kill and start again under a new epoch */
  restart(name: string, by: string): Promise<{ name: string; epoch: number }>;
  /** stop on purpose: the session is killed and stays down until started again */
  terminate(name: string, by: string): Promise<{ name: string; stopped: boolean }>;
  /** remove from the fleet (lib/ops/roster.ts retireAgent), checked against the form's hash */
  remove(name: string, hash: string, by: string): Promise<Retired>;
}

export type { PauseOps } from '../ops/pause.js';

export interface UserOps {
  count(): Promise<number>;
  create(input: CreateUserInput): Promise<CreatedUser>;
  /** the first account (the setup link): refused once any account exists; serialised */
  createFirst(input: CreateUserInput): Promise<CreatedUser>;
}

export interface WebServices {
  home: FleetHome;
  identity: Identity;
  auth: FleetAuth;
  backlog: BacklogService;
  fleet: FleetOps;
  pause: PauseOps;
  /** drain: PAUSE while every agent finishes its turn (lib/ops/drain.ts) */
  drain: DrainOps;
  /** the attention inbox (lib/ops/inbox.ts) */
  inbox: InboxOps;
  /** review and the merge gate (lib/ops/review.ts) */
  review: ReviewOps;
  /** the worktrees of repo cards (lib/ops/worktrees.ts) */
  worktrees: WorktreeOps;
  /** who did what: one agent's timeline (lib/ops/timeline.ts) */
  timeline: Pick<TimelineOps, 'timeline'>;
  users: UserOps;
  setup: SetupToken;
  /** failed sign-ins per account and address */
  signIn: SignInThrottle;
}

const KEY = Symbol.for('mosaic-fleet.web-services');
type Holder = { [KEY]?: WebServices };

export function setWebServices(s: WebServices | undefined): void {
  (globalThis as Holder)[KEY] = s;
}

export function getWebServices(): WebServices {
  const s = (globalThis as Holder)[KEY];
  if (!s) throw new Error('the web panel runs inside fleetd: start it with `fleet serve`');
  return s;
}
