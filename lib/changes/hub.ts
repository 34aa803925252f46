/**
 * The change hub (docs/architecture.md "Web", the push channel): every change the panel shows is
 * published here as a small event, with an increasing id and a topic, and kept in a bounded ring
 * so a browser that lost its stream for a moment is sent what it missed (`Last-Event-ID`), or
 * told to read everything again when the ring no longer holds its id. In memory, one per fleetd:
 * publishers are fleetd's own services; the panel's event stream reads it (server/web/events.ts).
 */
import type { ChangeEvent, ChangeTopic, ResetEvent } from './topics.js';

export type Replay =
  { kind: 'replay'; events: ChangeEvent[] } | { kind: 'reset'; reset: ResetEvent };

export interface ChangeHubOptions {
  /** events kept for replay (default 1000) */
  capacity?: number;
  /**
   * the id before the first event. Default: the start time in microseconds, so the ids of a
   * restarted fleetd are above the last ones of the one before, and an id from before the restart
   * is older than the ring (a reset), never mistaken for a recent one.
   */
  base?: number;
  now?: () => Date;
}

export class ChangeHub {
  private readonly ring: ChangeEvent[] = [];
  private readonly capacity: number;
  private readonly listeners = new Set<(e: ChangeEvent) => void>();
  private readonly now: () => Date;
  private lastId: number;

  constructor(o: ChangeHubOptions = {}) {
    this.capacity = Math.max(1, o.capacity ?? 1000);
    this.lastId = o.base ?? Date.now() * 1000;
    this.now = o.now ?? (() => new Date());
  }

  /** the id of the newest event (the base when none was published) */
  get last(): number {
    return this.lastId;
  }

  publish(topic: ChangeTopic, key?: string): ChangeEvent {
    const e: ChangeEvent = {
      id: ++this.lastId,
      topic,
      ...(key === undefined ? {} : { key }),
      at: this.now().toISOString(),
    };
    this.ring.push(e);
    if (this.ring.length > this.capacity) this.ring.shift();
    for (const l of [...this.listeners]) {
      try {
        l(e);
      } catch {
        // a listener's failure is its own (a stream that closed mid-write); the others still hear
      }
    }
    return e;
  }

  /**
   * What a client that saw up to `id` missed: the events after it while the ring still holds
   * them all, else a reset. An id above the newest is from another fleetd (or forged): a reset.
   */
  since(id: number): Replay {
    if (!Number.isSafeInteger(id) || id > this.lastId)
      return { kind: 'reset', reset: { id: this.lastId, reason: 'unknown-id' } };
    if (id === this.lastId) return { kind: 'replay', events: [] };
    const oldest = this.ring[0]?.id ?? this.lastId + 1;
    if (id < oldest - 1) return { kind: 'reset', reset: { id: this.lastId, reason: 'too-old' } };
    return { kind: 'replay', events: this.ring.filter((e) => e.id > id) };
  }

  /** Hear every event published from now on; returns the unsubscribe. */
  subscribe(listener: (e: ChangeEvent) => void): () => void {
    const l = (e: ChangeEvent) => listener(e);
    this.listeners.add(l);
    return () => void this.listeners.delete(l);
  }

  /** subscribers now (streams open), for tests and the leak check */
  get listenerCount(): number {
    return this.listeners.size;
  }
}
