/**
 * The operator's chat as a fleetd component (docs/connectors.md): the roster's `connector:`
 * block picks the platform, fleetd's environment holds its secret. Outbound, inbox items the
 * roster asks for are kept in the store's outbox and delivered in order, rate-limited, retried
 * with backoff until they go through, so an outage or a restart loses nothing. Inbound, a few
 * commands are answered here (lib/attention/chat.ts); anything else reaches the orchestrator
 * as a verified send labelled with where it came from.
 */
import { statSync } from 'node:fs';
import {
  CHAT_HELP,
  inboxText,
  notificationText,
  parseChatCommand,
  statusText,
} from '@/lib/attention/chat.js';
import type { ConnectorConfig } from '@/lib/connectors/config.js';
import { createConnector, type ConnectorDeps } from '@/lib/connectors/registry.js';
import {
  ConnectorError,
  type Connector,
  type ConnectorHealth,
  type InboundMessage,
} from '@/lib/connectors/types.js';
import type { FleetDeps } from '@/lib/fleet/deps.js';
import type { FleetHome } from '@/lib/home.js';
import { gatherPs } from '@/lib/ops/snapshot.js';
import { isLocal, rosterAgents } from '@/lib/ops/lifecycle.js';
import { loadRoster } from '@/lib/roster/load.js';
import { ORCHESTRATOR } from '@/lib/roster/rules.js';
import { sendVerified } from '@/lib/send/deliver.js';
import type { SyncResult } from '@/lib/store/attention.js';
import type { Component, Log } from '../maintenance.js';
import type { FleetServices } from '../services.js';

export interface ConnectorServiceOptions {
  home: FleetHome;
  /** fleetd's environment: where the connector's secret is read */
  env: NodeJS.ProcessEnv;
  services: FleetServices;
  /** the fleet's deps with a fresh roster (status answers, sends to the orchestrator) */
  deps(): FleetDeps;
  /** the panel's origin, for links (the roster's `connector.panel_url` wins) */
  panelUrl(): string | null;
  log: Log;
  /** how often the outbox is looked at (default 1 s) */
  pollMs?: number;
  /** the same key is not notified again within this window (default 10 min) */
  dedupeMs?: number;
  /** tests: fetch, sleep, retries */
  connectorDeps?: ConnectorDeps;
}

export interface ConnectorStatus {
  kind: string;
  target: string | null;
  health: ConnectorHealth | null;
  /** the configuration problem (unknown kind, missing secret), or null */
  error: string | null;
  pending: number;
}

export interface ConnectorTest {
  health: ConnectorHealth;
  sent: { message_id: string | null } | null;
  error: string | null;
}

export interface ConnectorService extends Component {
  /** items raised by the supervisor: keep a notification for each the roster asks for */
  notify(r: SyncResult): Promise<void>;
  status(): Promise<ConnectorStatus>;
  /** send a test message now and check health */
  test(): Promise<ConnectorTest>;
}

interface Current {
  stamp: string;
  config: ConnectorConfig | null;
  connector: Connector | null;
  error: string | null;
}

const MAX_BACKOFF_MS = 5 * 60_000;
const retryDelay = (attempts: number, hint: number | null) =>
  Math.min(MAX_BACKOFF_MS, Math.max(hint ?? 0, 2_000 * 2 ** Math.min(attempts, 10)));

const keyOf = (c: Connector) => `${c.kind}:${c.target}`;

export function connectorService(o: ConnectorServiceOptions): ConnectorService {
  const { attention, pause, backlog, flags } = o.services;
  const pollMs = o.pollMs ?? 1_000;
  const dedupeMs = o.dedupeMs ?? 10 * 60_000;
  let current: Current = { stamp: '', config: null, connector: null, error: null };
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let inbound: AbortController | null = null;
  let inboundFor = '';
  let lastHealth: ConnectorHealth | null = null;
  let wake: (() => void) | null = null;

  /** The roster's block, re-read when roster.yaml changes; a broken roster keeps the last one. */
  function refresh(): Current {
    let stamp: string;
    try {
      const st = statSync(o.home.roster);
      stamp = `${st.mtimeMs}:${st.size}`;
    } catch {
      stamp = 'none';
    }
    if (stamp === current.stamp) return current;
    let config: ConnectorConfig | null = null;
    try {
      config = stamp === 'none' ? null : (loadRoster(o.home.roster).roster.connector ?? null);
    } catch {
      return current; // the supervisor reports the roster problem in the inbox
    }
    let connector: Connector | null = null;
    let error: string | null = null;
    try {
      connector = config ? createConnector(config, o.env, o.connectorDeps) : null;
    } catch (e) {
      error = (e as Error).message;
      o.log(`connector: ${error}`);
    }
    current = { stamp, config, connector, error };
    lastHealth = null;
    restartInbound();
    return current;
  }

  const panelBase = () => current.config?.panel_url?.replace(/\/+$/, '') ?? o.panelUrl();

  async function enqueueAnswer(text: string, threadId?: string): Promise<void> {
    const c = current.connector;
    if (!c) return;
    await attention.enqueue({
      itemId: null,
      connector: keyOf(c),
      text,
      threadId: threadId ?? null,
    });
    wake?.();
  }

  async function notify(r: SyncResult): Promise<void> {
    const { config, connector } = refresh();
    if (!config || !connector) return;
    const wanted = new Set(config.notify.reasons);
    const key = keyOf(connector);
    const base = panelBase();
    for (const item of r.raised) {
      if (!wanted.has(item.reason)) continue;
      const last = await attention.lastNotified(item.key, item.evidence, key);
      if (last && Date.now() - last.getTime() < dedupeMs) continue;
      await attention.enqueue({
        itemId: item.id,
        connector: key,
        text: notificationText(item),
        link: base ? `${base}${item.link}` : null,
      });
    }
    wake?.();
  }

  /** Deliver what is due, oldest first, within the rate limit; stop at the first failure. */
  async function drain(): Promise<void> {
    const { config, connector } = refresh();
    if (!config || !connector) return;
    const key = keyOf(connector);
    const now = new Date();
    const budget =
      config.notify.max_per_minute -
      (await attention.deliveredSince(key, new Date(now.getTime() - 60_000)));
    if (budget <= 0) return;
    for (const n of await attention.due(key, now, budget)) {
      if (stopped) return;
      try {
        const r = await connector.send({
          id: n.id,
          text: n.text,
          ...(n.link ? { link: n.link } : {}),
          ...(n.thread_id ? { threadId: n.thread_id } : {}),
        });
        await attention.delivered(n.id, r.messageId);
      } catch (e) {
        const err = e as Error;
        const hint = e instanceof ConnectorError ? e.retryAfterMs : null;
        const next = new Date(Date.now() + retryDelay(n.attempts, hint));
        await attention.attemptFailed(n.id, err.message, next);
        o.log(
          `connector: ${n.id} not delivered (attempt ${n.attempts + 1}): ${err.message}; next try ${next.toISOString()}`,
        );
        return;
      }
    }
  }

  async function orchestratorSend(m: InboundMessage): Promise<void> {
    const deps = o.deps();
    const orch = rosterAgents(deps).find((a) => a.class === ORCHESTRATOR && isLocal(deps, a));
    if (!orch)
      return enqueueAnswer('no orchestrator runs on this host: message not delivered', m.threadId);
    try {
      const r = await sendVerified(deps, {
        agent: orch,
        text: m.text,
        source: m.origin,
        verify: true,
        timeoutMs: 15_000,
        // typed when the orchestrator is at its prompt; otherwise kept (also while it is
        // starting) and delivered by the supervisor at its next idle point
        waitMs: 2_000,
        whenIdle: true,
        queueOnDefer: true,
        queueWhenDown: true,
      });
      o.log(`connector: message from ${m.origin} to ${orch.name}: ${r.verdict}`);
      if (r.verdict === 'queued')
        await enqueueAnswer(`queued for ${orch.name}: ${r.detail}`, m.threadId);
      else if (r.verdict !== 'submitted')
        await enqueueAnswer(
          `not delivered to ${orch.name}: ${r.verdict} (${r.detail})`,
          m.threadId,
        );
    } catch (e) {
      await enqueueAnswer(`not delivered to ${orch.name}: ${(e as Error).message}`, m.threadId);
    }
  }

  async function handle(m: InboundMessage): Promise<void> {
    const cmd = parseChatCommand(m.text);
    if (!cmd) return orchestratorSend(m);
    o.log(`connector: command ${cmd.kind} from ${m.origin}`);
    switch (cmd.kind) {
      case 'help':
        return enqueueAnswer(CHAT_HELP, m.threadId);
      case 'pause_needs_reason':
        return enqueueAnswer('say why: pause <reason>', m.threadId);
      case 'pause': {
        const p = await pause.set({ paused: true, by: m.origin, reason: cmd.reason });
        return enqueueAnswer(`paused since ${p.since ?? 'now'}: ${cmd.reason}`, m.threadId);
      }
      case 'resume': {
        const p = await pause.set({ paused: false, by: m.origin });
        return enqueueAnswer(p.paused ? 'still paused' : 'resumed', m.threadId);
      }
      case 'inbox':
        return enqueueAnswer(inboxText(await attention.listOpen(), panelBase()), m.threadId);
      case 'status': {
        const deps = o.deps();
        const [ps, stats, p, open] = await Promise.all([
          gatherPs(deps),
          backlog.stats(),
          pause.get(),
          attention.listOpen(),
        ]);
        return enqueueAnswer(statusText(deps.host, ps.agents, stats, p, open.length), m.threadId);
      }
    }
  }

  function restartInbound(): void {
    const c = current.connector;
    const id = c?.subscribe ? keyOf(c) : '';
    if (id === inboundFor && inbound) return;
    inbound?.abort();
    inbound = null;
    inboundFor = id;
    if (!c?.subscribe || stopped) return;
    const ac = new AbortController();
    inbound = ac;
    const cursorFlag = `connector.${c.kind}.cursor`;
    void (async () => {
      const saved = await flags.get(cursorFlag).catch(() => null);
      const target = typeof saved?.value.target === 'string' ? saved.value.target : null;
      const cursor =
        target === c.target && typeof saved?.value.cursor === 'string' ? saved.value.cursor : null;
      await c.subscribe!(
        async (m) => {
          try {
            await handle(m);
          } catch (e) {
            o.log(`connector: handling ${m.id} from ${m.origin}: ${(e as Error).message}`);
          }
        },
        {
          cursor,
          signal: ac.signal,
          saveCursor: async (next) => {
            await flags.set({
              name: cursorFlag,
              by: 'fleetd',
              value: { cursor: next, target: c.target },
            });
          },
          onError: (e) => o.log(`connector: ${c.kind} inbound: ${e.message}`),
        },
      );
    })().catch((e: unknown) =>
      o.log(`connector: ${c.kind} inbound stopped: ${(e as Error).message}`),
    );
  }

  const loop = async () => {
    while (!stopped) {
      try {
        await drain();
      } catch (e) {
        o.log(`connector: outbox: ${(e as Error).message}`);
      }
      await new Promise<void>((r) => {
        wake = r;
        timer = setTimeout(r, pollMs);
      });
      wake = null;
    }
  };

  return {
    name: 'connector',
    notify,
    async status() {
      const c = refresh();
      if (c.connector && !lastHealth) lastHealth = await c.connector.health().catch(() => null);
      return {
        kind: c.config?.kind ?? 'none',
        target: c.connector?.target ?? null,
        health: lastHealth,
        error: c.error,
        pending: c.connector ? (await attention.pending(keyOf(c.connector))).length : 0,
      };
    },
    async test() {
      const c = refresh();
      if (!c.connector) {
        const kind = c.config?.kind ?? 'none';
        const detail = c.error ?? 'no connector in the roster (connector.kind is none or absent)';
        return {
          health: {
            kind: c.config?.kind ?? 'none',
            ok: false,
            reachable: false,
            authenticated: false,
            detail,
          },
          sent: null,
          error: kind === 'none' ? detail : c.error,
        };
      }
      const health = await c.connector.health();
      lastHealth = health;
      try {
        const base = panelBase();
        const r = await c.connector.send({
          id: `test-${Date.now().toString(36)}`,
          text: `[fleet ${o.services.identity.host}] connector test: notifications from this fleet arrive here`,
          ...(base ? { link: `${base}/inbox` } : {}),
        });
        return { health, sent: { message_id: r.messageId }, error: null };
      } catch (e) {
        return { health, sent: null, error: (e as Error).message };
      }
    },
    start: async () => {
      refresh();
      void loop();
    },
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      wake?.();
      inbound?.abort();
    },
  };
}
