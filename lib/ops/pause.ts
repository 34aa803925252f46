/**
 * PAUSE, the fleet's kill-switch, in one place for every edge: `fleet pause|resume` (through
 * fleetd's socket), the panel's button and JSON API, and the supervisor's tick. Two halves kept
 * in step: the store flag (every host on a shared PostgreSQL sees it) and run/PAUSED (this
 * host's supervisor honours it even before the store answers; an operator may `touch` it).
 *
 * Resuming also lifts the supervisor's recovery halt: the halt says "fix credentials, then
 * resume", and a resume from any edge means the same (docs/architecture.md "Operations").
 */
import type { FleetHome } from '../home.js';
import { serialiser } from '../serial.js';
import { clearPauseFile, readPauseFile, writePauseFile } from '../run/pause.js';
import type { FlagStore } from '../store/flags.js';
import type { PauseState, PauseView, SetPauseInput } from '../store/registry-contract.js';

/**
 * Recovery halted by the supervisor: agents whose dead panes looked like an authentication
 * failure are not restarted again until an operator resumes. In memory: a fleetd restart is a
 * fresh start of recovery too.
 */
export class RecoveryHalt {
  reason: string | null = null;
  since: string | null = null;
  /** distinct agents whose dead pane showed an auth-like failure, and how often */
  readonly authFailures = new Map<string, number>();

  halt(reason: string, now = new Date()): void {
    this.reason = reason;
    this.since ??= now.toISOString();
  }

  lift(): void {
    this.reason = null;
    this.since = null;
    this.authFailures.clear();
  }
}

export interface PauseDeps {
  home: FleetHome;
  flags: Pick<FlagStore, 'pause' | 'setPause'>;
  /** this host, as the store tags rows */
  host: string;
  halt: RecoveryHalt;
}

const view = (s: PauseState, halt: RecoveryHalt): PauseView => ({ ...s, halted: halt.reason });

/** What this process saw at its last read: tells a change made by hand from one made elsewhere. */
export interface PauseMemory {
  /** run/PAUSED existed (or was written here) */
  fileSeen: boolean;
  /** the store flag said paused */
  storedPaused: boolean;
}

/**
 * The PAUSE state, after putting the two halves in step. The store flag is what every host
 * sees; the file is this host's copy that an operator may also touch or remove by hand:
 * - a new file pauses; a file gone since the last read resumes (when this host paused);
 * - a flag set elsewhere (another host, a raw flag write) is mirrored into the file, and one
 *   lifted elsewhere removes the file rather than being paused again by the stale copy.
 */
async function readPause(d: PauseDeps, mem: PauseMemory): Promise<PauseView> {
  const stored = await d.flags.pause();
  const file = readPauseFile(d.home);
  const before = { ...mem };
  mem.fileSeen = file !== null;
  mem.storedPaused = stored.paused;
  if (file && !stored.paused) {
    if (before.fileSeen && before.storedPaused) {
      clearPauseFile(d.home);
      mem.fileSeen = false;
      return view(stored, d.halt);
    }
    const s = await d.flags.setPause({
      paused: true,
      by: file.by,
      reason: file.reason ?? undefined,
      drain: file.drain ?? false,
    });
    mem.storedPaused = true;
    return view(s, d.halt);
  }
  if (stored.paused && !file) {
    if (before.fileSeen && stored.host === d.host) {
      mem.storedPaused = false;
      return view(await d.flags.setPause({ paused: false, by: 'run/PAUSED removed' }), d.halt);
    }
    writePauseFile(d.home, {
      since: stored.since ?? new Date().toISOString(),
      by: stored.by ?? 'store',
      reason: stored.reason,
      drain: stored.drain,
    });
    mem.fileSeen = true;
  }
  return view(stored, d.halt);
}

/** Pull or release PAUSE; releasing also lifts a recovery halt. */
export async function setPause(d: PauseDeps, i: SetPauseInput): Promise<PauseView> {
  const s = await d.flags.setPause(i);
  if (i.paused) {
    writePauseFile(d.home, {
      since: s.since ?? new Date().toISOString(),
      by: i.by,
      reason: i.reason ?? null,
      drain: s.drain,
    });
  } else {
    clearPauseFile(d.home);
    d.halt.lift();
  }
  return view(s, d.halt);
}

/** The operations bound to one fleetd's services: what the routes and the panel are given. */
export interface PauseOps {
  get(): Promise<PauseView>;
  set(i: SetPauseInput): Promise<PauseView>;
}

/**
 * `onChange` hears every view that differs from the one before it, whoever changed it: a set from
 * any edge at once, a flag set by another host or a file touched by hand at the next read (the
 * supervisor reads every tick). The panel's push channel listens (docs/api.md "Events").
 */
export function pauseOps(d: PauseDeps, onChange?: (v: PauseView) => void): PauseOps {
  const mem: PauseMemory = { fileSeen: false, storedPaused: false };
  // One at a time: a read that overlapped a write would judge the file it just saw against a
  // flag read before the write, and take the write for a change made elsewhere.
  const serial = serialiser();
  let last: string | null = null;
  const seen = (v: PauseView): PauseView => {
    const key = JSON.stringify(v);
    if (key !== last) onChange?.(v);
    last = key;
    return v;
  };
  return {
    get: () => serial(async () => seen(await readPause(d, mem))),
    set: (i) =>
      serial(async () => {
        const v = await setPause(d, i);
        mem.fileSeen = i.paused;
        mem.storedPaused = v.paused;
        return seen(v);
      }),
  };
}
