import { describe, expect, it } from 'vitest';
import { ChangeHub } from './hub.js';

const at = () => new Date('2025-01-01T00:00:00Z');

describe('ChangeHub', () => {
  it('gives each event the next id, with its topic and key', () => {
    const hub = new ChangeHub({ base: 100, now: at });
    expect(hub.last).toBe(100);
    expect(hub.publish('card', 'c1')).toEqual({
      id: 101,
      topic: 'card',
      key: 'c1',
      at: '2025-01-01T00:00:00.000Z',
    });
    expect(hub.publish('fleet')).toEqual({ id: 102, topic: 'fleet', at: at().toISOString() });
    expect(hub.last).toBe(102);
  });

  it('starts above the ids of a fleetd that ran before', async () => {
    const before = new ChangeHub();
    for (let i = 0; i < 50; i++) before.publish('inbox');
    await new Promise((r) => setTimeout(r, 2));
    const after = new ChangeHub();
    expect(after.last).toBeGreaterThan(before.last);
    // a browser still holding the old fleetd's id reads everything again
    expect(after.since(before.last).kind).toBe('reset');
  });

  it('replays what came after a Last-Event-ID the ring still holds', () => {
    const hub = new ChangeHub({ base: 0, capacity: 5 });
    for (const t of ['fleet', 'inbox', 'pause'] as const) hub.publish(t);
    expect(hub.since(0)).toEqual({
      kind: 'replay',
      events: [
        expect.objectContaining({ id: 1, topic: 'fleet' }),
        expect.objectContaining({ id: 2, topic: 'inbox' }),
        expect.objectContaining({ id: 3, topic: 'pause' }),
      ],
    });
    const r = hub.since(2);
    expect(r.kind === 'replay' && r.events.map((e) => e.id)).toEqual([3]);
    expect(hub.since(3)).toEqual({ kind: 'replay', events: [] });
  });

  it('keeps only the newest events and resets a client older than the ring', () => {
    const hub = new ChangeHub({ base: 0, capacity: 3 });
    for (let i = 0; i < 5; i++) hub.publish('card', `c${i}`);
    // the ring holds 3, 4, 5: a client at 2 missed nothing it cannot be sent
    const r = hub.since(2);
    expect(r.kind === 'replay' && r.events.map((e) => e.id)).toEqual([3, 4, 5]);
    // a client at 1 missed event 2, which is gone
    expect(hub.since(1)).toEqual({ kind: 'reset', reset: { id: 5, reason: 'too-old' } });
  });

  it('resets an id it never gave, and any id before the first event', () => {
    const hub = new ChangeHub({ base: 10 });
    expect(hub.since(10)).toEqual({ kind: 'replay', events: [] });
    expect(hub.since(9)).toEqual({ kind: 'reset', reset: { id: 10, reason: 'too-old' } });
    expect(hub.since(11)).toEqual({ kind: 'reset', reset: { id: 10, reason: 'unknown-id' } });
    expect(hub.since(Number.NaN).kind).toBe('reset');
  });

  it('tells subscribers until they leave, past a listener that throws', () => {
    const hub = new ChangeHub({ base: 0 });
    const heard: number[] = [];
    const offBad = hub.subscribe(() => {
      throw new Error('closed');
    });
    const off = hub.subscribe((e) => heard.push(e.id));
    expect(hub.listenerCount).toBe(2);
    hub.publish('fleet');
    off();
    offBad();
    hub.publish('fleet');
    expect(heard).toEqual([1]);
    expect(hub.listenerCount).toBe(0);
  });
});
