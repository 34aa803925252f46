import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../fsutil.js';
import type { FleetHome } from '../home.js';

/**
 * run/<name>.launch.json: the spawn epoch and restart count of an agent. The epoch grows with
 * every start so a report (heartbeat, hook, a late send) from an older incarnation can be told
 * apart from the running one.
 */
export interface LaunchState {
  epoch: number;
  restarts: number;
  startedAt: string | null;
  /** stopped on purpose (`fleet down`): a later start is not a restart */
  stopped: boolean;
  runtime: string | null;
  /** set by fleetd's supervisor when the restart policy gave up; cleared by the next start */
  failed?: string | null;
  /**
   * whether this start reopened the runtime's recorded conversation or began a new one (null:
   * the runtime cannot resume); docs/runtimes.md "Resume"
   */
  conversation?: 'resumed' | 'fresh' | null;
  /** why a start of an agent that resumes was fresh */
  conversation_note?: string | null;
}

export const EMPTY_STATE: LaunchState = {
  epoch: 0,
  restarts: 0,
  startedAt: null,
  stopped: true,
  runtime: null,
};

const launchStateFile = (home: FleetHome, name: string): string => home.launchState(name);

export function readLaunchState(home: FleetHome, name: string): LaunchState {
  try {
    const raw = JSON.parse(
      readFileSync(launchStateFile(home, name), 'utf8'),
    ) as Partial<LaunchState>;
    return { ...EMPTY_STATE, ...raw };
  } catch {
    return { ...EMPTY_STATE };
  }
}

export function writeLaunchState(home: FleetHome, name: string, s: LaunchState): void {
  writeFileAtomic(launchStateFile(home, name), JSON.stringify(s, null, 2) + '\n');
}

/** The state after a start. `restart` counts crashes and explicit restarts, not a fresh start. */
export function nextStart(
  prev: LaunchState,
  runtime: string,
  nowIso: string,
  restart: boolean,
): LaunchState {
  return {
    epoch: prev.epoch + 1,
    restarts: prev.restarts + (restart ? 1 : 0),
    startedAt: nowIso,
    stopped: false,
    runtime,
  };
}
