import { HEALTHY_FACTOR, type HeartbeatStatus } from './heartbeat/protocol.js';

/**
 * Readiness of one agent, a pure function over observed facts (docs/architecture.md invariant 4: healthy
 * means answered a heartbeat, never just "pane alive").
 *
 *  - dead: no session, or its pane's process exited
 *  - unknown: alive but no heartbeat from this incarnation (missing file = unknown), or its
 *    heartbeat is fleetd's to write from the screen and fleetd is not running
 *    (docs/runtimes.md "Heartbeats"): what is in the file then vouches for nothing
 *  - stale: the last heartbeat is older than 3 × interval
 *  - waiting: healthy and asking a human (permission, login, a question)
 *  - working: healthy and busy
 *  - available: healthy and idle at its prompt
 */
export const READINESS = ['working', 'available', 'waiting', 'stale', 'dead', 'unknown'] as const;
export type Readiness = (typeof READINESS)[number];

export type ScreenState = 'idle' | 'busy' | 'waiting';

export interface StateReport {
  ageSeconds: number;
  status: HeartbeatStatus;
  epoch: number | null;
}

export interface ReadinessFacts {
  pane: 'alive' | 'dead' | 'missing';
  intervalSeconds: number;
  /** spawn epoch of the running incarnation (tmux @mosaic_epoch); null when unknown */
  epoch: number | null;
  heartbeat: StateReport | null;
  /** hook/notify report (run/<name>.status) */
  hook?: StateReport | null;
  /** exact: hooks report every transition (Claude Code); hint: only some (codex notify) */
  hookAuthority?: 'exact' | 'hint';
  /** a fresh classification of the screen, when the caller has one */
  screen?: ScreenState | null;
  /** seconds since the pane last printed */
  outputAgeSeconds?: number | null;
  /** the heartbeat is fleetd's to write (lib/heartbeat/screen-beat.ts) and fleetd is not running */
  writerDown?: boolean;
}

/** A report from an older incarnation must not speak for the new one. */
function sameIncarnation(
  r: StateReport | null | undefined,
  epoch: number | null,
): r is StateReport {
  if (!r) return false;
  return r.epoch === null || epoch === null || r.epoch === epoch;
}

function fromStatus(s: HeartbeatStatus | ScreenState): Readiness | null {
  if (s === 'busy') return 'working';
  if (s === 'idle') return 'available';
  if (s === 'waiting') return 'waiting';
  return null;
}

export function readiness(f: ReadinessFacts): Readiness {
  if (f.pane !== 'alive') return 'dead';
  if (f.writerDown) return 'unknown';
  const hb = sameIncarnation(f.heartbeat, f.epoch) ? f.heartbeat : null;
  if (!hb) return 'unknown';
  if (hb.ageSeconds > HEALTHY_FACTOR * f.intervalSeconds) return 'stale';

  // a question on the screen (login, permission) outranks any report of idle or busy
  if (hb.status === 'waiting' || f.screen === 'waiting') return 'waiting';
  const hook = sameIncarnation(f.hook, f.epoch) ? f.hook : null;
  if (hook && f.hookAuthority === 'exact') return fromStatus(hook.status) ?? 'available';
  if (hook && hook.ageSeconds < hb.ageSeconds) {
    const r = fromStatus(hook.status);
    if (r) return r;
  }
  const fromHb = fromStatus(hb.status);
  if (fromHb) return fromHb;
  // heartbeat says only "ok": fall back to the screen, then to pane activity
  if (f.screen) return fromStatus(f.screen)!;
  const quiet = Math.max(2, f.intervalSeconds);
  if (f.outputAgeSeconds !== null && f.outputAgeSeconds !== undefined && f.outputAgeSeconds < quiet)
    return 'working';
  return 'available';
}
