import { describe, expect, it } from 'vitest';
import { readiness, type ReadinessFacts } from './readiness.js';

const alive = (over: Partial<ReadinessFacts> = {}): ReadinessFacts => ({
  pane: 'alive',
  intervalSeconds: 10,
  epoch: 2,
  heartbeat: { ageSeconds: 1, status: 'idle', epoch: 2 },
  ...over,
});

describe('readiness', () => {
  it.each([
    ['missing session', { pane: 'missing' as const }, 'dead'],
    ['dead pane, even with a fresh heartbeat', { pane: 'dead' as const }, 'dead'],
    ['no heartbeat file', { heartbeat: null }, 'unknown'],
    ['fresh heartbeat whose writer (fleetd) is down', { writerDown: true }, 'unknown'],
    [
      'stale heartbeat whose writer (fleetd) is down: not a hung agent',
      { writerDown: true, heartbeat: { ageSeconds: 300, status: 'idle' as const, epoch: 2 } },
      'unknown',
    ],
    ['dead pane whose writer is down', { writerDown: true, pane: 'dead' as const }, 'dead'],
    [
      'heartbeat of an older incarnation',
      { heartbeat: { ageSeconds: 1, status: 'idle' as const, epoch: 1 } },
      'unknown',
    ],
    [
      'heartbeat exactly at 3 × interval',
      { heartbeat: { ageSeconds: 30, status: 'idle' as const, epoch: 2 } },
      'available',
    ],
    [
      'heartbeat past 3 × interval',
      { heartbeat: { ageSeconds: 30.1, status: 'busy' as const, epoch: 2 } },
      'stale',
    ],
    ['busy', { heartbeat: { ageSeconds: 1, status: 'busy' as const, epoch: 2 } }, 'working'],
    ['idle', {}, 'available'],
    ['waiting', { heartbeat: { ageSeconds: 1, status: 'waiting' as const, epoch: 2 } }, 'waiting'],
    [
      'heartbeat without epoch is accepted',
      { heartbeat: { ageSeconds: 1, status: 'busy' as const, epoch: null } },
      'working',
    ],
    [
      'unknown running epoch accepts any heartbeat',
      { epoch: null, heartbeat: { ageSeconds: 1, status: 'busy' as const, epoch: 9 } },
      'working',
    ],
  ])('%s', (_what, over, want) => {
    expect(readiness(alive(over))).toBe(want);
  });

  it('takes exact hook reports over the screen heartbeat', () => {
    const f = alive({
      heartbeat: { ageSeconds: 1, status: 'idle', epoch: 2 },
      hook: { ageSeconds: 50, status: 'busy', epoch: 2 },
      hookAuthority: 'exact',
    });
    expect(readiness(f)).toBe('working');
    expect(readiness({ ...f, hook: { ageSeconds: 5, status: 'waiting', epoch: 2 } })).toBe(
      'waiting',
    );
  });

  it('a question on the screen outranks an idle hook report', () => {
    const f = alive({
      heartbeat: { ageSeconds: 1, status: 'waiting', epoch: 2 },
      hook: { ageSeconds: 1, status: 'idle', epoch: 2 },
      hookAuthority: 'exact',
    });
    expect(readiness(f)).toBe('waiting');
    expect(
      readiness({ ...f, heartbeat: { ageSeconds: 1, status: 'ok', epoch: 2 }, screen: 'waiting' }),
    ).toBe('waiting');
  });

  it('ignores hook reports from an older incarnation', () => {
    const f = alive({ hook: { ageSeconds: 1, status: 'busy', epoch: 1 }, hookAuthority: 'exact' });
    expect(readiness(f)).toBe('available');
  });

  it('uses a hint (codex notify) only when it is newer than the heartbeat', () => {
    const hb = { ageSeconds: 3, status: 'busy' as const, epoch: 2 };
    expect(
      readiness(
        alive({
          heartbeat: hb,
          hook: { ageSeconds: 1, status: 'idle', epoch: 2 },
          hookAuthority: 'hint',
        }),
      ),
    ).toBe('available');
    expect(
      readiness(
        alive({
          heartbeat: hb,
          hook: { ageSeconds: 9, status: 'idle', epoch: 2 },
          hookAuthority: 'hint',
        }),
      ),
    ).toBe('working');
  });

  it('a stale heartbeat stays stale whatever the hooks say', () => {
    expect(
      readiness(
        alive({
          heartbeat: { ageSeconds: 99, status: 'idle', epoch: 2 },
          hook: { ageSeconds: 1, status: 'busy', epoch: 2 },
          hookAuthority: 'exact',
        }),
      ),
    ).toBe('stale');
  });

  it('falls back from "ok" to the screen, then to pane activity', () => {
    const ok = { ageSeconds: 1, status: 'ok' as const, epoch: 2 };
    expect(readiness(alive({ heartbeat: ok, screen: 'waiting' }))).toBe('waiting');
    expect(readiness(alive({ heartbeat: ok, screen: 'busy' }))).toBe('working');
    expect(readiness(alive({ heartbeat: ok, screen: 'idle' }))).toBe('available');
    expect(readiness(alive({ heartbeat: ok, outputAgeSeconds: 1 }))).toBe('working');
    expect(readiness(alive({ heartbeat: ok, outputAgeSeconds: 60 }))).toBe('available');
    expect(readiness(alive({ heartbeat: ok }))).toBe('available');
  });
});
