/**
 * The typed client of fleetd's API, used by the CLI, tests and later the web panel. It never
 * touches the store: without a listening fleetd every call fails with FLEETD_DOWN and says how
 * to start it.
 */
import type { FleetHome } from '../home.js';
import type * as c from '../store/contract.js';
import type * as r from '../store/registry-contract.js';
import { SocketTransport } from './transport.js';
import type { ActResult, AttentionAction, AttentionItem, InboxView } from '../attention/types.js';
import type * as rv from '../review/contract.js';
import type { HostView } from '../fleet/hosts.js';
import type { PsScope } from '../fleet/ps-scope.js';
import type { PsView } from '../ops/ps-view.js';
import type { RelayLifecycleInput, RelayOutcome, RelaySendInput } from '../ops/relay.js';
import type { RelayCommand } from '../store/relay.js';
import type { DrainStatus } from '../ops/drain.js';
import type { AgentEventInput, TimelineInput, TimelineView } from '../timeline/contract.js';

export type WithIdentity<T> = c.Identity & T;

export interface Health extends c.Identity {
  ok: true;
  pid: number;
  version: string;
  store: { kind: 'pglite' | 'postgres'; location: string };
  started_at: string;
  uptime_seconds: number;
}

export interface ExposedStore extends c.Identity {
  kind: 'pglite' | 'postgres';
  url: string;
  /** PGlite: the 0600 Unix socket in run/ that the url points at */
  socket?: string;
  /** PGlite: the door closes after this long with no client */
  idle_seconds?: number;
  note: string;
}

type Card = WithIdentity<{ card: c.CardView }>;

export class FleetdClient {
  private readonly t: SocketTransport;

  constructor(home: Pick<FleetHome, 'root' | 'socket'>, opts: { timeoutMs?: number } = {}) {
    this.t = new SocketTransport({
      socketPath: home.socket,
      homeRoot: home.root,
      timeoutMs: opts.timeoutMs,
    });
  }

  private post<T>(path: string, body: object, extraTimeoutMs = 0): Promise<T> {
    return this.t.request<T>('POST', path, body, extraTimeoutMs);
  }

  /** Raw access for routes without a typed method here, and for tests of malformed requests. */
  request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    return this.t.request<T>(method, path, body);
  }

  health(): Promise<Health> {
    return this.t.request<Health>('GET', '/v1/health');
  }

  readonly backlog = {
    create: (i: c.CreateCardInput) =>
      this.post<WithIdentity<c.CreateResult>>('/v1/backlog/create', i),
    show: (id: string) =>
      this.post<WithIdentity<{ card: c.CardView; events: c.CardEventView[] }>>('/v1/backlog/show', {
        id,
      }),
    list: (i: c.ListCardsInput = {}) =>
      this.post<WithIdentity<{ cards: c.CardView[] }>>('/v1/backlog/list', i),
    events: (i: c.EventsInput = {}) =>
      this.post<WithIdentity<{ events: c.CardEventView[] }>>('/v1/backlog/events', i),
    update: (i: c.UpdateCardInput) => this.post<Card>('/v1/backlog/update', i),
    claim: (i: c.ClaimInput) =>
      this.post<WithIdentity<{ card: c.CardView | null; place: rv.RepoPlace | null }>>(
        '/v1/backlog/claim',
        i,
      ),
    renew: (i: c.RenewInput) => this.post<Card>('/v1/backlog/renew', i),
    complete: (i: c.CompleteInput) => this.post<Card>('/v1/backlog/complete', i),
    fail: (i: c.FailInput) => this.post<Card>('/v1/backlog/fail', i),
    reclaim: (i: c.ReclaimInput = {}) =>
      this.post<WithIdentity<{ reclaimed: c.ReclaimedCard[] }>>('/v1/backlog/reclaim', i),
    link: (i: c.LinkInput) => this.post<Card>('/v1/backlog/link', i),
    unlink: (i: c.LinkInput) => this.post<Card>('/v1/backlog/unlink', i),
    block: (i: c.BlockInput) => this.post<Card>('/v1/backlog/block', i),
    unblock: (i: c.UnblockInput) => this.post<Card>('/v1/backlog/unblock', i),
    move: (i: c.MoveInput) => this.post<Card>('/v1/backlog/move', i),
    stats: () => this.post<c.BacklogStats>('/v1/backlog/stats', {}),
    /** long poll: resolves when a card is claimable or after timeout_ms */
    wait: (i: c.WaitInput) =>
      this.post<WithIdentity<c.WaitResult>>('/v1/backlog/wait', i, i.timeout_ms),
  };

  readonly agents = {
    /** every host of the fleet from the register (docs/architecture.md "The register") */
    hosts: () => this.post<WithIdentity<{ hosts: HostView[] }>>('/v1/fleet/hosts', {}),
    /** `fleet ps` gathered by fleetd; `ps` is null when it serves another host or tmux server */
    ps: (scope: PsScope) => this.post<WithIdentity<{ ps: PsView | null }>>('/v1/fleet/ps', scope),
    /** one agent's timeline (lib/ops/timeline.ts) */
    timeline: (i: TimelineInput) => this.post<TimelineView>('/v1/agents/timeline', i),
    /** record a start, takeover or release done by this process */
    recordEvent: (i: AgentEventInput) =>
      this.post<WithIdentity<{ recorded: true }>>('/v1/agents/events', i),
  };

  /** an agent on any host (docs/architecture.md "The relay"): answered when done, or pending */
  readonly relay = {
    send: (i: RelaySendInput) =>
      this.post<WithIdentity<RelayOutcome>>('/v1/relay/send', i, i.wait_ms + i.timeout_ms + 10_000),
    restart: (i: RelayLifecycleInput) =>
      this.post<WithIdentity<RelayOutcome>>('/v1/relay/restart', i, 40_000),
    terminate: (i: RelayLifecycleInput) =>
      this.post<WithIdentity<RelayOutcome>>('/v1/relay/terminate', i, 40_000),
    get: (id: string) =>
      this.post<WithIdentity<{ command: RelayCommand }>>('/v1/relay/get', { id }),
  };

  readonly inbox = {
    list: () => this.post<InboxView>('/v1/inbox/list', {}),
    ack: (id: string, by: string) =>
      this.post<WithIdentity<{ item: AttentionItem }>>('/v1/inbox/ack', { id, by }),
    act: (i: { id: string; action: AttentionAction; text?: string; by: string }) =>
      this.post<WithIdentity<ActResult>>('/v1/inbox/act', i, 15_000),
  };

  /** approve, request changes and prune run git and type into panes: they may take a while */
  readonly review = {
    list: () => this.post<WithIdentity<{ reviews: rv.ReviewView[] }>>('/v1/review/list', {}),
    show: (i: rv.ReviewShowInput) => this.post<rv.ReviewView>('/v1/review/show', i),
    approve: (i: rv.ApproveInput) => this.post<rv.ReviewView>('/v1/review/approve', i, 60_000),
    requestChanges: (i: rv.RequestChangesInput) =>
      this.post<rv.ReviewView>('/v1/review/request-changes', i, 60_000),
  };

  readonly worktree = {
    list: () => this.post<WithIdentity<{ worktrees: rv.WorktreeView[] }>>('/v1/worktree/list', {}),
    prune: (i: rv.PruneInput = {}) => this.post<rv.PruneResult>('/v1/worktree/prune', i, 60_000),
  };

  readonly flags = {
    get: (name: string) =>
      this.post<WithIdentity<{ flag: r.FlagView | null }>>('/v1/flags/get', { name }),
    set: (i: r.SetFlagInput) => this.post<WithIdentity<{ flag: r.FlagView }>>('/v1/flags/set', i),
    pause: () => this.post<r.PauseView>('/v1/pause/get', {}),
    setPause: (i: r.SetPauseInput) => this.post<r.PauseView>('/v1/pause/set', i),
    drain: (i: { by: string; reason?: string }) => this.post<DrainStatus>('/v1/drain/start', i),
    drainStatus: () => this.post<DrainStatus>('/v1/drain/status', {}),
  };

  readonly db = {
    expose: (o: { port?: number; idle_seconds?: number } = {}) =>
      this.post<ExposedStore>('/v1/db/expose', o),
    close: () => this.post<WithIdentity<{ closed: boolean }>>('/v1/db/close', {}),
  };

  /** Drop pooled connections so a short-lived process can exit. */
  close(): void {
    this.t.close();
  }
}
