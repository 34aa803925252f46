import type { RestartPolicy } from '../roster/schema.js';

/** What fleetd remembers about one agent's incarnations. Plain data; times in ms. */
export interface RestartState {
  /** incremented on every start; reports carrying an older epoch are ignored */
  epoch: number;
  /** start times inside the current window (older ones are dropped) */
  starts: number[];
  /** crashes in a row that happened before min_uptime */
  quickCrashes: number;
  lastStartAt: number | null;
  /** when it was first seen down after the last start */
  downSince: number | null;
  failed: boolean;
  failedReason: string | null;
}

export const initialRestartState = (): RestartState => ({
  epoch: 0,
  starts: [],
  quickCrashes: 0,
  lastStartAt: null,
  downSince: null,
  failed: false,
  failedReason: null,
});

export type RestartDecision =
  | { action: 'start'; state: RestartState }
  | { action: 'wait'; until: number; state: RestartState }
  | { action: 'failed'; state: RestartState };

export function backoffMs(policy: RestartPolicy, quickCrashes: number): number {
  if (quickCrashes <= 0) return 0;
  const exp = policy.backoff_initial_seconds * 2 ** (quickCrashes - 1);
  return Math.min(exp, policy.backoff_max_seconds) * 1000;
}

/**
 * The agent should run and does not. Decide — deterministically — whether to start it now,
 * wait out its backoff, or give up (max_restarts within window_seconds): no restart storms.
 */
export function decideRestart(
  prev: RestartState,
  policy: RestartPolicy,
  now: number,
): RestartDecision {
  if (prev.failed) return { action: 'failed', state: prev };
  const state: RestartState = {
    ...prev,
    starts: prev.starts.filter((t) => now - t < policy.window_seconds * 1000),
  };
  if (state.lastStartAt !== null && state.downSince === null) {
    // first sighting of this incarnation's death: was it a quick crash?
    const lived = now - state.lastStartAt;
    state.quickCrashes = lived < policy.min_uptime_seconds * 1000 ? state.quickCrashes + 1 : 0;
    state.downSince = now;
  }
  if (state.lastStartAt !== null && state.starts.length >= policy.max_restarts) {
    state.failed = true;
    state.failedReason = `restarted ${state.starts.length} times within ${policy.window_seconds}s (max_restarts ${policy.max_restarts})`;
    return { action: 'failed', state };
  }
  const until = (state.downSince ?? now) + backoffMs(policy, state.quickCrashes);
  if (now < until) return { action: 'wait', until, state };
  return { action: 'start', state };
}

/** Record a start: new epoch, counted in the window. */
export function recordStart(prev: RestartState, now: number): RestartState {
  return {
    ...prev,
    epoch: prev.epoch + 1,
    starts: [...prev.starts, now],
    lastStartAt: now,
    downSince: null,
  };
}

/** An operator restart or `fleet up` clears a failed agent. */
export function clearFailure(prev: RestartState): RestartState {
  return { ...prev, failed: false, failedReason: null, quickCrashes: 0, starts: [] };
}
