/**
 * What the panel's push channel says (docs/api.md "Events"): which part of what the panel shows
 * changed, never the data itself. Type-only for the browser: the panel reads the data again
 * through the JSON API it already uses.
 */

/**
 * - `fleet`: this host's agents (their `fleet ps` rows, ages aside), the NORTH_STAR problem
 * - `card`: one card (`key` is its id): created, edited, claimed, completed, moved, linked,
 *   reclaimed, reviewed, merged
 * - `backlog`: some cards changed, which ones unknown (another host's write, PostgreSQL)
 * - `inbox`: items raised, refreshed, cleared or acknowledged
 * - `pause`: PAUSE, the recovery halt or the drain's progress
 * - `roster`: roster.yaml was written
 * - `hosts`: the register of the fleet's other hosts (PostgreSQL)
 */
export const CHANGE_TOPICS = [
  'fleet',
  'card',
  'backlog',
  'inbox',
  'pause',
  'roster',
  'hosts',
] as const;
export type ChangeTopic = (typeof CHANGE_TOPICS)[number];

export interface ChangeEvent {
  /** increasing within one fleetd; a new fleetd starts above the last one's (lib/changes/hub.ts) */
  id: number;
  topic: ChangeTopic;
  /** the card's id for `card`; absent otherwise */
  key?: string;
  /** when it was published (ISO) */
  at: string;
}

/** The `reset` event: the id asked for is older than what the ring holds; read everything again. */
export interface ResetEvent {
  id: number;
  reason: 'too-old' | 'unknown-id';
}
