/**
 * The process umask while fleetd runs (docs/security.md "Other local users"). fleetd holds
 * umask 077 from before the store opens until it stops: PGlite creates its files 0666 less the
 * umask (docs/pitfalls.md "PGlite file modes"). operatorUmask() is the umask it was started
 * with, which agents and acceptance checks get back (lib/perms.ts withUmask) for the files they
 * write in the operator's repositories.
 *
 * The state sits on globalThis under a registered symbol: the web panel's bundle may carry its
 * own copy of this module inside the same process, and both copies must agree.
 */
import { readFileSync } from 'node:fs';
import { PRIVATE_UMASK } from './perms.js';

interface UmaskState {
  holds: number;
  operator: number | null;
}

const KEY = Symbol.for('mosaic-fleet.umask');

function state(): UmaskState {
  const g = globalThis as { [KEY]?: UmaskState };
  return (g[KEY] ??= { holds: 0, operator: null });
}

/**
 * Switch this process to umask 077 and return the function that gives the previous umask back.
 * Holds nest (several in-process fleetds in tests): the last release restores the first umask.
 */
export function holdPrivateUmask(): () => void {
  const s = state();
  const previous = process.umask(PRIVATE_UMASK);
  if (s.holds++ === 0) s.operator = previous;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (--s.holds === 0 && s.operator !== null) {
      process.umask(s.operator);
      s.operator = null;
    }
  };
}

/**
 * This process's umask, read without changing it: `process.umask()` with no argument sets the
 * mask to 0 and back, and a file created by another thread in between would be world-writable.
 * Linux reports it in /proc/self/status; elsewhere the racy read is all there is.
 */
function currentUmask(): number {
  try {
    const m = /^Umask:\s*([0-7]+)$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number.parseInt(m[1]!, 8);
  } catch {
    // no procfs (macOS)
  }
  return process.umask();
}

/** The operator's umask: the one fleetd started with, or this process's own outside fleetd. */
export function operatorUmask(): number {
  const s = state();
  return s.operator ?? currentUmask();
}
