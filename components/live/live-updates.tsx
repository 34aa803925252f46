'use client';
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import type { ChangeEvent } from '@/lib/changes/topics';
import { isReadAgainOnReset, keysForChange } from '@/lib/web/query-keys';
import { reconnectDelay } from '@/lib/web/reconnect';

export type LiveState = 'connecting' | 'live' | 'reconnecting';

const LiveContext = createContext<LiveState>('connecting');

/** Changes that arrive together (a burst of card writes) are read again once. */
const BATCH_MS = 16;

/** Queries to read again, gathered for one batch. */
function batcher(qc: QueryClient) {
  const keys = new Map<string, readonly string[]>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    timer = undefined;
    for (const queryKey of keys.values()) void qc.invalidateQueries({ queryKey });
    keys.clear();
  };
  return {
    add(list: readonly (readonly string[])[]) {
      for (const k of list) keys.set(JSON.stringify(k), k);
      timer ??= setTimeout(flush, BATCH_MS);
    },
    everything() {
      keys.clear();
      clearTimeout(timer);
      timer = undefined;
      void qc.invalidateQueries({ predicate: (q) => isReadAgainOnReset(q.queryKey) });
    },
    stop: () => clearTimeout(timer),
  };
}

/** What the tab holding the stream tells the others (one BroadcastChannel per origin). */
type Relayed =
  | { kind: 'event'; type: 'hello' | 'reset' | 'message'; id: string; data: string }
  | { kind: 'state'; state: LiveState }
  | { kind: 'ask' };

const CHANNEL = 'mosaic-fleet-events';
const LOCK = 'mosaic-fleet-events';

/**
 * The panel's one event stream per browser (GET /api/v1/events, docs/api.md "Events"): each
 * change reads again the queries that show it; nothing polls. The first connection and a `reset`
 * read everything again (what the page rendered may be older than the stream). A stream that
 * fails is opened again after a growing wait, with the last id it saw (`?since=`: a new
 * EventSource cannot set Last-Event-ID), so fleetd replays what it missed or says reset.
 *
 * Tabs of one origin share the stream: a browser keeps six HTTP/1.1 connections per host, and a
 * stream per tab would leave a seventh tab's requests waiting. The tab that holds a Web Lock
 * opens the stream and relays every event and its state on a BroadcastChannel; the others follow
 * it, and when it closes the lock passes to one of them, which opens the stream again from the
 * last id it was told. Where either API is missing (an insecure origin has no Web Locks), each
 * tab opens its own stream.
 */
export function LiveUpdates({ children }: { children: ReactNode }) {
  const qc = useQueryClient();
  const [state, setState] = useState<LiveState>('connecting');
  useEffect(() => {
    const batch = batcher(qc);
    const channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(CHANNEL);
    const locks = typeof navigator !== 'undefined' && channel ? navigator.locks : undefined;
    let es: EventSource | null = null;
    let leading = !locks;
    let last: string | null = null;
    let attempt = 0;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let shown: LiveState = 'connecting';
    let followed = false;
    const relay = (m: Relayed) => {
      if (leading) channel?.postMessage(m);
    };
    const show = (s: LiveState) => {
      shown = s;
      setState(s);
      relay({ kind: 'state', state: s });
    };
    /** one event, from the stream or from the tab that holds it */
    const hear = (type: 'hello' | 'reset' | 'message', id: string, data: string) => {
      if (id) last = id;
      if (type === 'message') {
        const c = JSON.parse(data) as ChangeEvent;
        batch.add(keysForChange(c.topic, c.key));
      } else batch.everything();
    };
    const connect = () => {
      retry = undefined;
      const url = last ? `/api/v1/events?since=${encodeURIComponent(last)}` : '/api/v1/events';
      const s = new EventSource(url);
      es = s;
      s.onopen = () => {
        attempt = 0;
        show('live');
      };
      const on = (type: 'hello' | 'reset' | 'message') => (e: MessageEvent<string>) => {
        hear(type, e.lastEventId, e.data);
        relay({ kind: 'event', type, id: e.lastEventId, data: e.data });
      };
      s.addEventListener('hello', on('hello'));
      s.addEventListener('reset', on('reset'));
      s.onmessage = on('message');
      // the browser's own retry gives up on an HTTP error and never backs off: ours does both
      s.onerror = () => {
        s.close();
        if (es !== s) return;
        es = null;
        show('reconnecting');
        retry = setTimeout(connect, reconnectDelay(attempt++, Math.random()));
      };
    };
    // back on the network: try at once rather than at the end of a long wait
    const online = () => {
      if (!leading || es || retry === undefined) return;
      clearTimeout(retry);
      attempt = 0;
      connect();
    };
    window.addEventListener('online', online);
    const abort = new AbortController();
    let release: (() => void) | undefined;
    let freeze: (() => void) | undefined;
    if (locks && channel) {
      channel.onmessage = (e: MessageEvent<Relayed>) => {
        const m = e.data;
        if (m.kind === 'ask') return relay({ kind: 'state', state: shown });
        if (leading) return;
        if (m.kind === 'state') {
          // the first word from the stream's tab: what this page rendered may be older
          if (!followed) batch.everything();
          followed = true;
          shown = m.state;
          setState(m.state);
        } else hear(m.type, m.id, m.data);
      };
      channel.postMessage({ kind: 'ask' } satisfies Relayed);
      const queue = () => {
        locks
          .request(LOCK, { signal: abort.signal }, () => {
            leading = true;
            connect();
            return new Promise<void>((resolve) => (release = resolve));
          })
          .catch(() => undefined); // aborted: this tab closed before it held the stream
      };
      // a tab the browser freezes stops relaying: it hands the stream on and queues again
      freeze = () => {
        if (!leading) return;
        leading = false;
        clearTimeout(retry);
        retry = undefined;
        es?.close();
        es = null;
        release?.();
        queue();
      };
      document.addEventListener('freeze', freeze);
      queue();
    } else connect();
    return () => {
      window.removeEventListener('online', online);
      if (freeze) document.removeEventListener('freeze', freeze);
      abort.abort();
      release?.();
      clearTimeout(retry);
      batch.stop();
      es?.close();
      es = null;
      channel?.close();
    };
  }, [qc]);
  return <LiveContext.Provider value={state}>{children}</LiveContext.Provider>;
}

const LABEL: Record<LiveState, string> = {
  connecting: 'connecting…',
  live: 'live',
  reconnecting: 'reconnecting…',
};

/** A dot and a word in the navigation: whether the page follows the fleet right now. */
export function LiveIndicator() {
  const state = useContext(LiveContext);
  return (
    <span
      data-testid="live-indicator"
      data-state={state}
      title={
        state === 'live'
          ? 'Changes reach this page as they happen'
          : 'Not following changes right now; what is shown may be old'
      }
      className="flex items-center gap-1.5 text-xs text-slate-500"
    >
      <span
        aria-hidden
        className={`inline-block h-2 w-2 rounded-full ${state === 'live' ? 'bg-emerald-500' : 'animate-pulse bg-amber-500'}`}
      />
      {LABEL[state]}
    </span>
  );
}
