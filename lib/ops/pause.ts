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
import { clearPauseFile, readPauseFile, writePauseFile } from '../pause.js';
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

/**
 * The PAUSE state, after putting the two halves in step: a file touched by hand pauses; a file
 * removed while the flag was set from this host resumes; a flag set from another host pauses
 * this one too.
 */
export async function readPause(d: PauseDeps): Promise<PauseView> {
  const stored = await d.flags.pause();
  const file = readPauseFile(d.home);
  if (file && !stored.paused) {
    const s = await d.flags.setPause({
      paused: true,
      by: file.by,
      reason: file.reason ?? undefined,
    });
    return view(s, d.halt);
  }
  if (stored.paused && !file) {
    if (stored.host === d.host)
      return view(await d.flags.setPause({ paused: false, by: 'run/PAUSED removed' }), d.halt);
    writePauseFile(d.home, {
      since: stored.since ?? new Date().toISOString(),
      by: stored.by ?? 'store',
      reason: stored.reason,
    });
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

export function pauseOps(d: PauseDeps): PauseOps {
  return { get: () => readPause(d), set: (i) => setPause(d, i) };
}
