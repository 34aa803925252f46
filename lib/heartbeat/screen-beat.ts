/**
 * The screen heartbeat (docs/runtimes.md "Heartbeats"), as pure rules: which agents fleetd
 * writes run/<name>.hb for, when each is due, and what one look at a pane makes of it. fleetd
 * gathers the facts (server/supervisor/screen-beat.ts); `fleet ps` and `observeAgent` use
 * `heartbeatWriter` to know whose word a heartbeat is.
 */
import { classifyScreen } from '../screen.js';
import type { ScreenPatterns } from '../runtimes/types.js';
import type { HeartbeatRecord } from './protocol.js';

/** Who writes an agent's heartbeat: the runtime itself, or fleetd from its screen. */
export type HeartbeatWriter = 'runtime' | 'fleetd';

/** The `src` of a heartbeat fleetd wrote from the screen. */
export const SCREEN_BEAT_SRC = 'fleetd';

/**
 * A runtime that writes heartbeat v1 itself (`nativeState: 'self'`, the stub) speaks for
 * itself; every other one, and any roster `command` (which may not be that runtime at all),
 * is read off its screen by fleetd.
 */
export function heartbeatWriter(
  adapter: { nativeState: string },
  agent: { command?: readonly string[] | null },
): HeartbeatWriter {
  return adapter.nativeState === 'self' && !agent.command ? 'runtime' : 'fleetd';
}

/** Has an agent waited its interval since fleetd last looked at it? */
export function beatDue(lastLookMs: number | undefined, intervalSeconds: number, nowMs: number) {
  return lastLookMs === undefined || nowMs - lastLookMs >= intervalSeconds * 1000;
}

/** What `list-panes -a` and the capture said about the agent's pane. */
export interface PaneFacts {
  pid: number | null;
  dead: boolean;
  /** tmux `@mosaic_epoch`: the spawn epoch the launcher gave this pane */
  epoch: number | null;
}

export interface ScreenBeatFacts {
  /** the pane as `list-panes -a` listed it this round; null: no session */
  listed: PaneFacts | null;
  /** the same pane as the capture saw it, with its screen; null: it could not be read */
  seen: (PaneFacts & { lines: readonly string[] }) | null;
  /** is the listed pid still alive right before the write */
  pidAlive: boolean;
  /** the epoch in run/<name>.launch.json: recorded before a new process exists */
  launchEpoch: number;
  /** run/<name>.hb as it stands */
  current: HeartbeatRecord | null;
  patterns: ScreenPatterns;
  nowMs: number;
}

export type ScreenBeat = { write: HeartbeatRecord } | { skip: string };

/**
 * One look: the heartbeat to write, or why none is. It never speaks for a process it did not
 * see: the pane must be alive, the same pid and epoch in the listing and the capture, the pid
 * alive, and no newer launch (a start under way) nor a heartbeat of a newer incarnation. The
 * status is the screen's (busy, idle, waiting), or `ok` when it says none of them.
 */
export function screenBeat(f: ScreenBeatFacts): ScreenBeat {
  const { listed, seen } = f;
  if (!listed || listed.dead || listed.pid === null) return { skip: 'no live pane' };
  if (listed.epoch === null) return { skip: 'pane has no spawn epoch (not started by the fleet)' };
  if (!seen || seen.dead || seen.pid !== listed.pid || seen.epoch !== listed.epoch)
    return { skip: 'pane changed while it was read' };
  if (!f.pidAlive) return { skip: `pid ${listed.pid} is gone` };
  if (f.launchEpoch > listed.epoch)
    return { skip: `launch ${f.launchEpoch} is newer than the pane's ${listed.epoch}` };
  if (f.current?.epoch != null && f.current.epoch > listed.epoch)
    return { skip: `a heartbeat of epoch ${f.current.epoch} is newer than the pane's` };
  return {
    write: {
      ts: f.nowMs,
      pid: listed.pid,
      status: classifyScreen(seen.lines, f.patterns) ?? 'ok',
      epoch: listed.epoch,
      src: SCREEN_BEAT_SRC,
    },
  };
}
