/**
 * Acting on an agent anywhere in the fleet (docs/architecture.md "The relay"): a send, restart
 * or terminate for another host's agent is kept in the store for that host's fleetd, which
 * carries it out with the same operation a local caller uses (sendVerified, fleetRestart,
 * fleetDown) and writes the result back. The caller gets that result, or `queued` when it does
 * not come in time; the command is still done once, later.
 *
 * One home for every edge: the socket API (`fleet agent send|restart|down <host>:<agent>`), the
 * panel's buttons, and the owning fleetd's runner.
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { sendPayload, type SendPayload } from './relay-input.js';
import { FleetError, type ErrorCode } from '../errors.js';
import type { FleetDeps } from '../fleet/deps.js';
import { hostViews } from '../fleet/hosts.js';
import { resolveTarget, type Target } from '../fleet/address.js';
import { sendVerified, type SendReceipt } from '../send/deliver.js';
import { normalizeText } from '../send/text.js';
import type { RegisterStore } from '../store/register.js';
import type { RelayCommand, RelayKind, RelayStore } from '../store/relay.js';
import { fleetDown, fleetRestart, isLocal, rosterAgents } from './lifecycle.js';

export * from './relay-input.js';

export type RelayRequest =
  | { kind: 'send'; payload: SendPayload }
  | { kind: 'restart' | 'terminate'; payload: Record<string, never> };

export interface RelayOutcome {
  /** the host whose fleetd carries it out */
  host: string;
  agent: string;
  kind: RelayKind;
  /** the command's id (the idempotency key) */
  id: string;
  /** done: `result` holds what the owning host answered; otherwise it is kept for that host */
  state: 'done' | 'pending' | 'taken';
  result: Record<string, unknown> | null;
  /** why it is not done yet, for a human */
  detail: string | null;
}

export interface RelayDeps {
  relay: RelayStore;
  register: RegisterStore;
  host: string;
  /** this host's fleet (roster, tmux), built afresh per command */
  deps(): FleetDeps;
  log(line: string): void;
}

const POLL_MS = 500;

/** What the caller waits for beyond the command's own time: the owner's next look and a write. */
const MARGIN_MS = 5_000;

/** The owning host's answer for an error, so the caller's edge maps it like a local one. */
const failure = (e: unknown): Record<string, unknown> => ({
  error: {
    code: e instanceof FleetError ? e.code : 'COMMAND_FAILED',
    message: e instanceof Error ? e.message : String(e),
  },
});

/** A done command's error as the same typed error the owning host raised. */
export function raiseRelayed(o: RelayOutcome): void {
  const err = o.result?.error as { code?: string; message?: string } | undefined;
  if (err)
    throw new FleetError(
      (err.code ?? 'COMMAND_FAILED') as ErrorCode,
      `${o.host}: ${err.message ?? 'failed'}`,
    );
}

/** Carry out one command on this host with the operation a local caller uses. */
export async function carryOut(
  deps: FleetDeps,
  c: { agent: string; kind: RelayKind; payload: Record<string, unknown> },
): Promise<Record<string, unknown>> {
  try {
    const [agent] = rosterAgents(deps, [c.agent]);
    if (!agent || !isLocal(deps, agent))
      throw new FleetError('AGENT_NOT_FOUND', `agent "${c.agent}" does not run on ${deps.host}`);
    if (c.kind === 'send') {
      const p = sendPayload.parse(c.payload);
      const r: SendReceipt = await sendVerified(deps, {
        agent,
        text: p.text,
        source: p.source,
        verify: p.verify,
        timeoutMs: p.timeout_ms,
        waitMs: p.wait_ms,
        whenIdle: p.when_idle,
        queueOnDefer: true,
      });
      return { ...r };
    }
    if (c.kind === 'restart') {
      const r = await fleetRestart(deps, { only: [c.agent], staggerMs: 0 });
      const f = r.failed[0];
      if (f) throw new FleetError('COMMAND_FAILED', `restart ${c.agent}: ${f.error}`);
      return { ...r.restarted[0]! };
    }
    const r = await fleetDown(deps, { only: [c.agent] });
    return { name: c.agent, stopped: r.stopped.includes(c.agent) };
  } catch (e) {
    return failure(e);
  }
}

/** A fresh idempotency key, unless the caller gave one to make a retry the same command. */
export const commandId = (given?: string): string =>
  given ?? `c-${Date.now().toString(36)}-${randomBytes(6).toString('hex')}`;

/** How long a caller waits for a command's result before answering `queued`. */
export function waitFor(req: RelayRequest): number {
  if (req.kind !== 'send') return 30_000 + MARGIN_MS;
  return req.payload.wait_ms + req.payload.timeout_ms + MARGIN_MS;
}

export interface RelayOps {
  /** where an address points from this host (errors for an unknown host or agent, or two hosts) */
  resolve(address: string): Promise<Target>;
  /**
   * Do it: here at once, or through the store for the owning host, waiting up to `waitMs` for
   * its result. `id` makes a retry the same command.
   */
  submit(
    address: string,
    req: RelayRequest,
    o: { id: string; waitMs?: number },
  ): Promise<RelayOutcome>;
  /** a command's state by its id (a caller asking again after `queued`) */
  get(id: string): Promise<RelayCommand | null>;
  /** wake the waiters of a command (the store said it is done) */
  done(id: string): void;
}

export function createRelayOps(d: RelayDeps): RelayOps {
  const finished = new EventEmitter().setMaxListeners(0);
  const localNames = (): string[] => {
    const deps = d.deps();
    return rosterAgents(deps)
      .filter((a) => isLocal(deps, a))
      .map((a) => a.name);
  };
  const resolve = async (address: string): Promise<Target> =>
    resolveTarget(
      address,
      { host: d.host, agents: localNames() },
      hostViews(await d.register.all(), d.host),
    );

  const waitDone = async (id: string, ms: number): Promise<RelayCommand | null> => {
    const until = Date.now() + ms;
    for (;;) {
      const c = await d.relay.get(id);
      if (!c || c.state === 'done') return c;
      const left = until - Date.now();
      if (left <= 0) return c;
      await new Promise<void>((r) => {
        const t = setTimeout(done, Math.min(POLL_MS, left));
        function done() {
          clearTimeout(t);
          finished.off(id, done);
          r();
        }
        finished.on(id, done);
      });
    }
  };

  return {
    resolve,
    get: (id) => d.relay.get(id),
    done: (id) => finished.emit(id),
    async submit(address, req, o) {
      // refused here as a local send refuses it, not kept for another host to refuse later
      if (req.kind === 'send') normalizeText(req.payload.text);
      const t = await resolve(address);
      if (t.where === 'here') {
        const result = await carryOut(d.deps(), { agent: t.agent, ...req });
        return {
          host: d.host,
          agent: t.agent,
          kind: req.kind,
          id: o.id,
          state: 'done',
          result,
          detail: null,
        };
      }
      const c = await d.relay.submit({ id: o.id, to_host: t.host, agent: t.agent, ...req });
      if (c.to_host !== t.host || c.agent !== t.agent || c.kind !== req.kind)
        throw new FleetError(
          'CONFLICT',
          `command id ${o.id} is already used for ${c.kind} ${c.to_host}:${c.agent}`,
        );
      d.log(`relay: ${req.kind} for ${t.host}:${t.agent} kept as ${o.id}`);
      const now =
        c.state === 'done' || !t.reachable ? c : await waitDone(o.id, o.waitMs ?? waitFor(req));
      const state = now?.state ?? c.state;
      const detail =
        state === 'done'
          ? null
          : !t.reachable
            ? `host ${t.host} is unreachable (last seen ${t.age_s ?? '?'} s ago); kept in the store, done when its fleetd is back`
            : `kept in the store for ${t.host}; not done yet (command ${o.id})`;
      return {
        host: t.host,
        agent: t.agent,
        kind: req.kind,
        id: o.id,
        state,
        result: now?.result ?? null,
        detail,
      };
    },
  };
}

export interface RelayRunner {
  /** take and carry out what waits for this host; returns when the current batch is taken */
  kick(): Promise<void>;
  /** close commands an earlier run of this fleetd took and never finished */
  recover(): Promise<number>;
  /** wait for every command being carried out */
  idle(): Promise<void>;
}

/**
 * The owning side: takes this host's commands from the store and carries them out, in order per
 * agent and concurrently across agents (a send waiting for one agent's idle point does not hold
 * another's restart).
 */
export function relayRunner(d: RelayDeps): RelayRunner {
  const chains = new Map<string, Promise<void>>();
  let taking: Promise<void> | null = null;
  let again = false;

  const run = async (c: RelayCommand): Promise<void> => {
    const result = await carryOut(d.deps(), c);
    await d.relay.finish(c.id, result);
    const err = result.error as { message?: string } | undefined;
    const how = err
      ? ` (failed: ${err.message})`
      : typeof result.verdict === 'string'
        ? `: ${result.verdict}`
        : '';
    d.log(`relay: ${c.kind} for ${c.agent} from ${c.from_host} done${how}`);
  };

  const takeAll = async (): Promise<void> => {
    do {
      again = false;
      for (const c of await d.relay.take()) {
        const before = chains.get(c.agent) ?? Promise.resolve();
        const next = before
          .then(() => run(c))
          .catch((e: unknown) => d.log(`relay: ${c.id}: ${(e as Error).message}`));
        chains.set(c.agent, next);
        void next.then(() => {
          if (chains.get(c.agent) === next) chains.delete(c.agent);
        });
        again = true;
      }
    } while (again);
  };

  return {
    kick() {
      if (taking) {
        again = true;
        return taking;
      }
      taking = takeAll().finally(() => (taking = null));
      return taking;
    },
    async recover() {
      const lost = await d.relay.interrupted();
      for (const c of lost)
        await d.relay.finish(c.id, {
          error: {
            code: 'COMMAND_FAILED',
            message: `fleetd on ${d.host} stopped while carrying out this ${c.kind}; not repeated, so it is never done twice`,
          },
        });
      return lost.length;
    },
    async idle() {
      await taking;
      await Promise.all([...chains.values()]);
    },
  };
}
