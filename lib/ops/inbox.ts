/**
 * The attention inbox's operations (docs/attention.md): list, acknowledge, and the one-tap
 * answers. Every answer acts through an operation that already exists — a verified send
 * (lib/send/deliver.ts), a restart (lib/ops/lifecycle.ts), a takeover release
 * (lib/ops/takeover.ts), a board move (the backlog service), PAUSE (lib/ops/pause.ts) — plus
 * approve and deny, which press the runtime's own keys and verify that its prompt went away.
 * Runs in fleetd; the panel, the socket API and chat commands call it.
 */
import type {
  ActInput,
  AttentionItem,
  InboxOps,
  InboxView,
  SinceDigest,
} from '../attention/types.js';
import { readAttention } from '../attention/screen.js';
import { FleetError } from '../errors.js';
import type { FleetDeps } from '../fleet/deps.js';
import { adapterFor } from '../launch/adapter.js';
import type { ResolvedAgent } from '../roster/resolve.js';
import { readTakeover, describeTakeover } from '../run/takeover.js';
import { withSendLock } from '../run/lock.js';
import { sendVerified } from '../send/deliver.js';
import type { AttentionStore } from '../store/attention.js';
import type { BacklogService } from '../store/backlog.js';
import type { FlagStore } from '../store/flags.js';
import { fleetRestart, rosterAgents } from './lifecycle.js';
import type { PauseOps } from './pause.js';
import { releaseTakeover } from './takeover.js';

export interface InboxOptions {
  attention: AttentionStore;
  backlog: BacklogService;
  pause: PauseOps;
  flags: FlagStore;
  /** the fleet's deps with a fresh roster, for the calls that reach tmux */
  deps(): FleetDeps;
  /** answers given, for the supervisor: it looks again now and stops raising that screen */
  signals: InboxSignals;
  log(line: string): void;
  /** how long approve/deny wait for the prompt to go (ms) */
  verifyMs?: number;
}

export interface Answered {
  item: AttentionItem;
  action: ActInput['action'];
}

/** "An operator answered an item": the supervisor listens (server/supervisor/component.ts). */
export class InboxSignals {
  private readonly listeners = new Set<(a: Answered) => void>();
  on(fn: (a: Answered) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
  emit(a: Answered): void {
    for (const l of this.listeners) l(a);
  }
}

const SEEN_FLAG = (visitor: string) =>
  `seen.${visitor
    .toLowerCase()
    .replace(/[^a-z0-9_.-]/g, '_')
    .slice(0, 58)}`;

export function createInboxOps(o: InboxOptions): InboxOps {
  const verifyMs = o.verifyMs ?? 5_000;

  async function openItem(id: string): Promise<AttentionItem> {
    const item = await o.attention.require(id);
    if (item.cleared_at)
      throw new FleetError('CONFLICT', `inbox item ${id} is already resolved (${item.cleared_at})`);
    return item;
  }

  function agentOf(item: AttentionItem, deps: FleetDeps) {
    if (!item.agent) throw new FleetError('USAGE', `inbox item ${item.id} names no agent`);
    if (item.host !== deps.host)
      throw new FleetError(
        'CONFLICT',
        `${item.agent} runs on ${item.host}; answer it from that host's panel`,
      );
    return rosterAgents(deps, [item.agent])[0]!;
  }

  /** Press the runtime's own keys for a permission prompt and wait for the prompt to go. */
  async function press(
    deps: FleetDeps,
    agent: ResolvedAgent,
    which: 'approve' | 'deny',
  ): Promise<string> {
    const adapter = adapterFor(agent);
    const keys = which === 'approve' ? adapter.approveKeys : adapter.denyKeys;
    if (!keys?.length)
      throw new FleetError('USAGE', `${adapter.title} has no ${which} key; reply instead`);
    const t = readTakeover(deps.home, agent.name, deps.host);
    if (t)
      throw new FleetError(
        'CONFLICT',
        `${agent.name} is taken over by ${describeTakeover(t)}; answer in the terminal`,
      );
    return withSendLock(
      deps.home,
      agent.name,
      deps.now() + 10_000,
      deps.now,
      deps.sleep,
      async () => {
        const before = await deps.tmux.view(agent.name);
        const asked = readAttention(before.lines, adapter, deps.now());
        if (asked?.reason !== 'permission')
          throw new FleetError(
            'CONFLICT',
            `${agent.name} shows no permission prompt now; nothing pressed`,
          );
        for (const k of keys) await deps.tmux.sendKey(agent.name, k);
        const deadline = deps.now() + verifyMs;
        while (deps.now() < deadline) {
          await deps.sleep(100);
          const v = await deps.tmux.view(agent.name);
          if (readAttention(v.lines, adapter, deps.now())?.reason !== 'permission' || v.dead)
            return `${which === 'approve' ? 'approved' : 'denied'}: ${agent.name}'s prompt is gone`;
        }
        throw new FleetError(
          'TIMEOUT',
          `pressed ${keys.join(' ')} on ${agent.name} but its prompt is still there after ${verifyMs / 1000}s`,
        );
      },
    );
  }

  async function send(
    deps: FleetDeps,
    agent: ResolvedAgent,
    text: string,
    source: string | null,
  ): Promise<string> {
    const r = await sendVerified(deps, {
      agent,
      text,
      source,
      verify: true,
      timeoutMs: 10_000,
      waitMs: 0,
      whenIdle: false,
      queueOnDefer: true,
    });
    if (r.verdict === 'submitted') return `delivered to ${agent.name} (${r.detail})`;
    if (r.verdict === 'queued') return `queued for ${agent.name}: ${r.detail}`;
    throw new FleetError(
      'COMMAND_FAILED',
      `not delivered to ${agent.name}: ${r.verdict} (${r.detail})`,
    );
  }

  /** An agent's answer: the fleet's deps (one roster read) and the agent the item names. */
  async function answerAgent(item: AttentionItem, input: ActInput, by: string): Promise<string> {
    const deps = o.deps();
    const agent = agentOf(item, deps);
    switch (input.action) {
      case 'approve':
      case 'deny':
        return press(deps, agent, input.action);
      case 'reply':
        // typed as given (the send refuses control characters); only an empty reply is refused
        if (!input.text?.trim()) throw new FleetError('USAGE', 'text: say something to reply');
        return send(deps, agent, input.text, by);
      case 'resume_agent':
        return send(deps, agent, adapterFor(agent).resumeText ?? 'continue', null);
      case 'restart_agent': {
        const r = await fleetRestart(deps, { only: [agent.name], staggerMs: 0, by });
        const failed = r.failed[0];
        if (failed)
          throw new FleetError('COMMAND_FAILED', `restart ${agent.name}: ${failed.error}`);
        return `restarted ${agent.name} (epoch ${r.restarted[0]?.epoch ?? '?'})`;
      }
      case 'release_takeover': {
        const t = readTakeover(deps.home, agent.name, deps.host);
        if (!t) return `${agent.name} is not taken over any more`;
        const drained = await releaseTakeover(deps, agent.name, t.pid);
        return `released ${describeTakeover(t)}; ${drained.length} queued message(s) delivered`;
      }
      default:
        throw new FleetError('USAGE', `${input.action} does not answer an agent`);
    }
  }

  async function answer(item: AttentionItem, input: ActInput, by: string): Promise<string> {
    switch (input.action) {
      case 'approve':
      case 'deny':
      case 'reply':
      case 'resume_agent':
      case 'restart_agent':
      case 'release_takeover':
        return answerAgent(item, input, by);
      case 'retry_card': {
        if (!item.card) throw new FleetError('USAGE', `inbox item ${item.id} names no card`);
        const c = await o.backlog.move({ id: item.card, to: 'ready', actor: by });
        return `card ${c.id} is ${c.status} again (attempts reset)`;
      }
      case 'resume_fleet': {
        const p = await o.pause.set({ paused: false, by });
        return p.paused ? 'the fleet is still paused' : 'the fleet is running';
      }
    }
  }

  return {
    async list(): Promise<InboxView> {
      const items = await o.attention.listOpen();
      return {
        tenant_id: o.attention.tenantId,
        host: o.attention.host,
        items,
        unacked: items.filter((i) => !i.acked_at).length,
        generated_at: new Date().toISOString(),
      };
    },

    async ack(id, by) {
      const item = await openItem(id);
      const acked = await o.attention.ack(item.id, by);
      o.log(
        `inbox: ${by} acknowledged ${id} (${item.reason}${item.agent ? ` ${item.agent}` : ''})`,
      );
      return acked;
    },

    async act(input, by) {
      const item = await openItem(input.id);
      if (!item.actions.includes(input.action))
        throw new FleetError(
          'USAGE',
          `action: ${input.action} does not answer a ${item.reason} item (it takes ${item.actions.join(', ') || 'only an acknowledgement'})`,
        );
      const message = await answer(item, input, by);
      o.log(
        `inbox: ${by} ${input.action} on ${item.id} (${item.reason}${item.agent ? ` ${item.agent}` : ''}): ${message}`,
      );
      o.signals.emit({ item, action: input.action });
      return { id: item.id, action: input.action, message };
    },

    async digest(visitor): Promise<SinceDigest> {
      const name = SEEN_FLAG(visitor);
      const prev = await o.flags.get(name);
      const sinceIso = typeof prev?.value.at === 'string' ? prev.value.at : null;
      await o.flags.set({ name, by: visitor, value: { at: new Date().toISOString() } });
      const base = { tenant_id: o.attention.tenantId, host: o.attention.host, since: sinceIso };
      if (!sinceIso)
        return {
          ...base,
          raised: 0,
          cleared: 0,
          cards_done: 0,
          cards_blocked: 0,
          restarts: 0,
          items: [],
        };
      const since = new Date(sinceIso);
      const raised = await o.attention.raisedSince(since);
      const events = await o.backlog.events({ since: sinceIso, limit: 5000 });
      return {
        ...base,
        raised: raised.length,
        cleared: await o.attention.clearedSince(since),
        cards_done: events.filter((e) => e.kind === 'completed').length,
        cards_blocked: events.filter((e) => e.kind === 'blocked').length,
        restarts: raised.filter((i) => i.reason === 'failed').length,
        items: raised.filter((i) => !i.cleared_at).slice(0, 10),
      };
    },
  };
}
