import { describe, expect, it } from 'vitest';
import type { CardView } from '@/lib/store/contract.js';
import { CardsOfNote } from './note-cards.js';

function fakeBacklog() {
  const b = {
    writes: 0,
    reads: 0,
    fail: false,
    ofNote: async (): Promise<CardView[]> => {
      b.reads++;
      if (b.fail) throw new Error('store away');
      return [{ id: `read-${b.reads}` } as CardView];
    },
  };
  return b;
}

describe('the cards of note, shared by escalation and the attention pass', () => {
  it('reads once until a write through this fleetd, then once more', async () => {
    const b = fakeBacklog();
    const notes = new CardsOfNote(b, 10_000, () => 0);
    const [x, y] = await Promise.all([notes.get(), notes.get()]);
    expect(x).toBe(y);
    expect(await notes.get()).toEqual([{ id: 'read-1' }]);
    expect(b.reads).toBe(1);
    b.writes++;
    expect(await notes.get()).toEqual([{ id: 'read-2' }]);
    expect(await notes.get()).toEqual([{ id: 'read-2' }]);
    expect(b.reads).toBe(2);
  });

  it('reads again after the refresh time, for what other hosts wrote', async () => {
    const b = fakeBacklog();
    let now = 0;
    const notes = new CardsOfNote(b, 10_000, () => now);
    await notes.get();
    now = 10_000;
    await notes.get();
    expect(b.reads).toBe(1);
    now = 10_001;
    expect(await notes.get()).toEqual([{ id: 'read-2' }]);
  });

  it('keeps no failed read: the next caller asks the store again', async () => {
    const b = fakeBacklog();
    const notes = new CardsOfNote(b, 10_000, () => 0);
    b.fail = true;
    await expect(notes.get()).rejects.toThrow('store away');
    b.fail = false;
    expect(await notes.get()).toEqual([{ id: 'read-2' }]);
  });
});
