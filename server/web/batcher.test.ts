import { describe, expect, it, vi } from 'vitest';
import { OutputBatcher, type BatcherIo } from './batcher.js';

function fakeIo(): BatcherIo & {
  frames: string[];
  queued: number;
  pauses: number;
  resumes: number;
} {
  const io = {
    frames: [] as string[],
    queued: 0,
    pauses: 0,
    resumes: 0,
    send(frame: string, _sent: () => void) {
      io.frames.push(frame);
      io.queued += frame.length;
    },
    buffered: () => io.queued,
    pause: () => void io.pauses++,
    resume: () => void io.resumes++,
  };
  return io;
}

describe('OutputBatcher', () => {
  it('sends output after a quiet spell at once, and joins what follows within one interval', () => {
    vi.useFakeTimers();
    const io = fakeIo();
    const b = new OutputBatcher(io, {
      intervalMs: 16,
      maxBytes: 1000,
      highWater: 10_000,
      lowWater: 100,
    });
    b.push('echo');
    expect(io.frames).toEqual(['echo']);
    b.push('a');
    b.push('b');
    b.push('c');
    expect(io.frames).toEqual(['echo']);
    vi.advanceTimersByTime(16);
    expect(io.frames).toEqual(['echo', 'abc']);
    vi.advanceTimersByTime(100);
    b.push('later');
    expect(io.frames).toEqual(['echo', 'abc', 'later']);
    vi.useRealTimers();
  });

  it('sends at once when maxBytes are waiting', () => {
    const io = fakeIo();
    const b = new OutputBatcher(io, {
      intervalMs: 1000,
      maxBytes: 4,
      highWater: 10_000,
      lowWater: 100,
    });
    b.push('x');
    b.push('ab');
    b.push('cd');
    expect(io.frames).toEqual(['x', 'abcd']);
    b.close();
  });

  it('pauses the source above the high-water mark and resumes below the low one', () => {
    vi.useFakeTimers();
    const io = fakeIo();
    const b = new OutputBatcher(io, { intervalMs: 1, maxBytes: 10, highWater: 15, lowWater: 5 });
    b.push('x'.repeat(10));
    expect(io.pauses).toBe(0);
    b.push('y'.repeat(10));
    expect(io.pauses).toBe(1);
    expect(b.isPaused).toBe(true);
    io.queued = 4; // the socket drained
    vi.advanceTimersByTime(25);
    expect(io.resumes).toBe(1);
    expect(b.isPaused).toBe(false);
    b.close();
    vi.useRealTimers();
  });

  it('sends nothing after close', () => {
    const io = fakeIo();
    const b = new OutputBatcher(io);
    b.close();
    b.push('late');
    expect(io.frames).toEqual([]);
  });
});
