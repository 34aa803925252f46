'use client';
import { useEffect, useState } from 'react';

/**
 * The clock, once a second: a re-render, never a request. Null until mounted: the server's
 * render and the first client render must print the same text, and "4s ago" would differ
 * between them.
 */
export function useNow(intervalMs = 1000): number | null {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    setNow(Date.now());
    const t = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(t);
  }, [intervalMs]);
  return now;
}

/**
 * An age read at `readAtMs` (the browser's time the answer arrived), grown to `now`: the panel
 * is told of changes, not of ages moving (docs/api.md "Events"), so it ages what it read itself.
 */
export function grown(
  seconds: number | null | undefined,
  readAtMs: number,
  now: number | null,
): number | null {
  if (seconds === null || seconds === undefined) return null;
  if (now === null) return seconds;
  return seconds + Math.max(0, now - readAtMs) / 1000;
}
