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

/**
 * The panel's one event stream per tab (GET /api/v1/events, docs/api.md "Events"): each change
 * reads again the queries that show it; nothing polls. The first connection and a `reset` read
 * everything again (what the page rendered may be older than the stream). A stream that fails is
 * opened again after a growing wait, with the last id it saw (`?since=`: a new EventSource cannot
 * set Last-Event-ID), so fleetd replays what it missed or says reset.
 */
export function LiveUpdates({ children }: { children: ReactNode }) {
  const qc = useQueryClient();
  const [state, setState] = useState<LiveState>('connecting');
  useEffect(() => {
    const batch = batcher(qc);
    let es: EventSource | null = null;
    let last: string | null = null;
    let attempt = 0;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const seen = (e: MessageEvent) => {
      if (e.lastEventId) last = e.lastEventId;
    };
    const connect = () => {
      retry = undefined;
      const url = last ? `/api/v1/events?since=${encodeURIComponent(last)}` : '/api/v1/events';
      const s = new EventSource(url);
      es = s;
      s.onopen = () => {
        attempt = 0;
        setState('live');
      };
      const readAll = (e: MessageEvent) => {
        seen(e);
        batch.everything();
      };
      s.addEventListener('hello', readAll);
      s.addEventListener('reset', readAll);
      s.onmessage = (e: MessageEvent<string>) => {
        seen(e);
        const c = JSON.parse(e.data) as ChangeEvent;
        batch.add(keysForChange(c.topic, c.key));
      };
      // the browser's own retry gives up on an HTTP error and never backs off: ours does both
      s.onerror = () => {
        s.close();
        if (es !== s) return;
        es = null;
        setState('reconnecting');
        retry = setTimeout(connect, reconnectDelay(attempt++, Math.random()));
      };
    };
    // back on the network: try at once rather than at the end of a long wait
    const online = () => {
      if (es || retry === undefined) return;
      clearTimeout(retry);
      attempt = 0;
      connect();
    };
    window.addEventListener('online', online);
    connect();
    return () => {
      window.removeEventListener('online', online);
      clearTimeout(retry);
      batch.stop();
      es?.close();
      es = null;
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
