/** TanStack Query keys: one factory per resource, so invalidation never misses a spelling. */
export const fleetKeys = {
  all: ['fleet'] as const,
  snapshot: () => [...fleetKeys.all, 'snapshot'] as const,
  agent: (name: string) => [...fleetKeys.all, 'agent', name] as const,
  timeline: (name: string, span: string) => [...fleetKeys.all, 'timeline', name, span] as const,
};

export const backlogKeys = {
  all: ['backlog'] as const,
  board: () => [...backlogKeys.all, 'board'] as const,
  card: (id: string) => [...backlogKeys.all, 'card', id] as const,
};

/**
 * The inbox's open items, polled by the navigation and the inbox page alike (one request a tick).
 * The digest stands apart: fetching it records a visit, so invalidating the inbox never refetches it.
 */
export const inboxKeys = {
  all: ['inbox'] as const,
  view: () => [...inboxKeys.all, 'view'] as const,
  digest: () => ['inbox-digest'] as const,
};

const rosterKeys = {
  all: ['roster'] as const,
  document: () => [...rosterKeys.all, 'document'] as const,
};
