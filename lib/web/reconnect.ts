/**
 * How long the panel waits before opening its event stream again after it failed: doubling from
 * half a second to at most 15 s, with up to a fifth more at random so tabs that lost fleetd
 * together do not all come back in the same millisecond. Pure: the caller gives the random.
 */
export const RECONNECT_MIN_MS = 500;
export const RECONNECT_MAX_MS = 15_000;

export function reconnectDelay(attempt: number, random: number): number {
  const base = Math.min(RECONNECT_MAX_MS, RECONNECT_MIN_MS * 2 ** Math.max(0, attempt));
  return Math.round(base * (1 + 0.2 * Math.min(1, Math.max(0, random))));
}
