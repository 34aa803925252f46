/** TanStack Query keys: one factory per resource, so invalidation never misses a spelling. */
export const fleetKeys = {
  all: ['fleet'] as const,
  snapshot: () => [...fleetKeys.all, 'snapshot'] as const,
  agent: (name: string) => [...fleetKeys.all, 'agent', name] as const,
};

export const backlogKeys = {
  all: ['backlog'] as const,
  board: () => [...backlogKeys.all, 'board'] as const,
  card: (id: string) => [...backlogKeys.all, 'card', id] as const,
};

const rosterKeys = {
  all: ['roster'] as const,
  document: () => [...rosterKeys.all, 'document'] as const,
};
