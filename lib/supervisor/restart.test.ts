import { describe, expect, it } from 'vitest';
import { DEFAULT_RESTART_POLICY } from '../roster/schema.js';
import {
  backoffMs,
  clearFailure,
  decideRestart,
  initialRestartState,
  recordStart,
  type RestartState,
} from './restart.js';

const policy = {
  ...DEFAULT_RESTART_POLICY,
  max_restarts: 3,
  window_seconds: 60,
  min_uptime_seconds: 10,
  backoff_initial_seconds: 1,
  backoff_max_seconds: 8,
};

describe('restart policy', () => {
  it('starts a never-started agent at once', () => {
    expect(decideRestart(initialRestartState(), policy, 0).action).toBe('start');
  });

  it('backs off exponentially on quick crashes, then fails instead of storming', () => {
    let s: RestartState = recordStart(initialRestartState(), 0);
    const waits: number[] = [];
    let now = 0;
    for (;;) {
      now += 500; // crashed half a second after start
      let d = decideRestart(s, policy, now);
      if (d.action === 'failed') {
        s = d.state;
        break;
      }
      if (d.action === 'wait') {
        waits.push(d.until - now);
        now = d.until;
        d = decideRestart(d.state, policy, now);
      }
      expect(d.action).toBe('start');
      s = recordStart(d.state, now);
    }
    expect(waits).toEqual([1000, 2000]);
    expect(s.failed).toBe(true);
    expect(s.failedReason).toContain('max_restarts 3');
    expect(s.epoch).toBe(3);
    expect(decideRestart(s, policy, now + 3_600_000).action).toBe('failed');
    expect(decideRestart(clearFailure(s), policy, now).action).toBe('start');
  });

  it('an agent that lived past min_uptime restarts without backoff', () => {
    const s = recordStart(initialRestartState(), 0);
    const d = decideRestart(s, policy, 30_000);
    expect(d.action).toBe('start');
    expect(d.state.quickCrashes).toBe(0);
  });

  it('is idempotent: deciding twice at the same instant gives the same answer', () => {
    const s = recordStart(initialRestartState(), 0);
    const a = decideRestart(s, policy, 200);
    const b = decideRestart(a.state, policy, 200);
    expect(b).toEqual(a);
  });

  it('caps backoff at backoff_max_seconds', () => {
    expect(backoffMs(policy, 10)).toBe(8000);
    expect(backoffMs(policy, 0)).toBe(0);
  });
});
