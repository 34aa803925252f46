import { describe, expect, it } from 'vitest';
import { pollLoop, type PollBatch } from './poll-loop.js';
import { ConnectorError, type InboundMessage } from './types.js';

const msg = (id: string): InboundMessage => ({ id, sender: 'a', origin: 'matrix:a', text: id });

describe('pollLoop', () => {
  it('redelivers only the unhandled part of a batch whose handler threw, then saves', async () => {
    const ac = new AbortController();
    const polls: (string | null)[] = [];
    const batches: PollBatch[] = [
      { messages: [msg('1'), msg('2'), msg('3')], cursor: 'c2' },
      { messages: [msg('1'), msg('2'), msg('3')], cursor: 'c2' },
    ];
    const handled: string[] = [];
    const saved: string[] = [];
    const errors: string[] = [];
    const delays: number[] = [];
    let failOnce = true;
    await pollLoop(
      {
        skipHistory: async () => {
          throw new Error('not expected');
        },
        poll: async (cursor) => {
          polls.push(cursor);
          const b = batches.shift();
          if (!b) {
            ac.abort();
            return { messages: [], cursor: null };
          }
          return b;
        },
      },
      async (m) => {
        if (m.id === '2' && failOnce) {
          failOnce = false;
          throw new Error('store busy');
        }
        handled.push(m.id);
      },
      {
        cursor: 'c1',
        saveCursor: async (c) => void saved.push(c),
        signal: ac.signal,
        onError: (e) => errors.push(e.message),
      },
      async (ms) => void delays.push(ms),
    );
    expect(handled).toEqual(['1', '2', '3']);
    expect(saved).toEqual(['c2']);
    expect(polls).toEqual(['c1', 'c1', 'c2']);
    expect(errors).toEqual(['store busy']);
    expect(delays).toEqual([500]);
  });

  it('waits what the platform asked, grows its backoff, and resets it after a success', async () => {
    const ac = new AbortController();
    const delays: number[] = [];
    const script: (() => PollBatch)[] = [
      () => {
        throw new ConnectorError('telegram', 'getUpdates answered 429', {
          retryable: true,
          retryAfterMs: 5000,
        });
      },
      () => {
        throw new Error('down');
      },
      () => ({ messages: [], cursor: null }),
      () => {
        throw new Error('down');
      },
    ];
    await pollLoop(
      {
        skipHistory: async () => 'now',
        poll: async () => {
          const step = script.shift();
          if (!step) {
            ac.abort();
            return { messages: [], cursor: null };
          }
          return step();
        },
      },
      async () => undefined,
      { cursor: null, saveCursor: async () => undefined, signal: ac.signal },
      async (ms) => void delays.push(ms),
    );
    expect(delays).toEqual([5000, 1000, 500]);
  });

  it('does not save a cursor when skipping history finds none', async () => {
    const ac = new AbortController();
    const saved: string[] = [];
    const polls: (string | null)[] = [];
    await pollLoop(
      {
        skipHistory: async () => null,
        poll: async (c) => {
          polls.push(c);
          ac.abort();
          return { messages: [], cursor: null };
        },
      },
      async () => undefined,
      { cursor: null, saveCursor: async (c) => void saved.push(c), signal: ac.signal },
      async () => undefined,
    );
    expect(saved).toEqual([]);
    expect(polls).toEqual([null]);
  });
});
