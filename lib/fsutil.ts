import {
  chmodSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  renameSync,
  statSync,
  writeFileSync,
  rmSync,
} from 'node:fs';
import path from 'node:path';
import { PRIVATE_DIR_MODE, tightenedMode } from './perms.js';

/**
 * mkdir -p for the fleet's own state: every directory it creates is 0700 (docs/security.md
 * "Other local users"), so FLEET_HOME and run/ are private whichever command makes them first.
 */
export function mkdirPrivate(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
}

export interface ModeChange {
  path: string;
  from: number;
  to: number;
}

/**
 * Create `dir` 0700, or take group and other access away from an existing one (a FLEET_HOME made
 * before modes were private, or loosened by hand). Returns what changed, for the log.
 */
export function ensurePrivateDir(dir: string): ModeChange | null {
  let mode: number;
  try {
    mode = statSync(dir).mode;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    mkdirPrivate(dir);
    return null;
  }
  const to = tightenedMode(mode);
  if (to === null) return null;
  chmodSync(dir, to);
  return { path: dir, from: mode & 0o7777, to };
}

/**
 * Take group and other access away from everything under `dir` (not following symlinks);
 * returns how many entries changed. PGlite writes the data dir of a new store 0666 whatever the
 * umask (measured: it sets the modes itself), so fleetd runs this over db/ once it is open.
 */
export function privatizeTree(dir: string): number {
  let changed = 0;
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isSymbolicLink()) continue;
      const p = path.join(d, e.name);
      const to = tightenedMode(lstatSync(p).mode);
      if (to !== null) {
        chmodSync(p, to);
        changed++;
      }
      if (e.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return changed;
}

/**
 * Write via temp file + rename so readers never see a half-written file. A missing parent is
 * created private (mkdirPrivate): the callers write the fleet's state under FLEET_HOME.
 */
export function writeFileAtomic(file: string, data: string, mode?: number): void {
  mkdirPrivate(path.dirname(file));
  const tmp = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`,
  );
  try {
    writeFileSync(tmp, data, { mode });
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
