/** TanStack Query keys: one factory per resource, so invalidation never misses a spelling. */
import type { ChangeTopic } from '../changes/topics.js';

export const fleetKeys = {
  all: ['fleet'] as const,
  snapshot: () => [...fleetKeys.all, 'snapshot'] as const,
  agent: (name: string) => [...fleetKeys.all, 'agent', name] as const,
  timeline: (name: string, span: string) => [...fleetKeys.timelines(), name, span] as const,
  /** every agent's timeline: cards, waits and starts all show on it */
  timelines: () => [...fleetKeys.all, 'timeline'] as const,
};

export const backlogKeys = {
  all: ['backlog'] as const,
  board: () => [...backlogKeys.all, 'board'] as const,
  card: (id: string) => [...backlogKeys.all, 'card', id] as const,
};

/**
 * The inbox's open items, shown by the navigation and the inbox page alike (one request a change).
 * The digest stands apart: fetching it records a visit, so invalidating the inbox never refetches it.
 */
export const inboxKeys = {
  all: ['inbox'] as const,
  view: () => [...inboxKeys.all, 'view'] as const,
  digest: () => ['inbox-digest'] as const,
};

export const rosterKeys = {
  all: ['roster'] as const,
  document: () => [...rosterKeys.all, 'document'] as const,
};

/** Reviews, keyed by card (components/review/query-keys.ts adds the card's stamp). */
const reviewOf = (id: string) => ['review', 'show', id] as const;

/**
 * What to read again when the push channel says `topic` changed (docs/api.md "Events"): the
 * prefixes of the queries that show it. A query no page shows is only marked stale.
 */
export function keysForChange(topic: ChangeTopic, key?: string): (readonly string[])[] {
  switch (topic) {
    case 'fleet':
      return [fleetKeys.all];
    case 'card':
      return key
        ? [backlogKeys.board(), backlogKeys.card(key), reviewOf(key), fleetKeys.timelines()]
        : [backlogKeys.all, ['review'], fleetKeys.timelines()];
    case 'backlog':
      return [backlogKeys.all, ['review'], fleetKeys.timelines()];
    case 'inbox':
      return [inboxKeys.view(), fleetKeys.timelines()];
    case 'pause':
    case 'hosts':
      return [fleetKeys.snapshot()];
    case 'roster':
      return [rosterKeys.all, fleetKeys.all];
  }
}

/** Everything but the digest, whose read records a visit (on a reset or the first connection). */
export const isReadAgainOnReset = (queryKey: readonly unknown[]): boolean =>
  queryKey[0] !== inboxKeys.digest()[0];
