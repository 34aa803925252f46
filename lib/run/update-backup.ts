import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FleetHome } from '../home.js';

/**
 * run/update-backup/: what `fleet update` replaced, kept for a roll back (docs/operations.md
 * "Update"): the previous FLEET_HOME/framework and the previous unit files.
 */
export const updateBackupDir = (home: FleetHome): string => path.join(home.runDir, 'update-backup');

/** Keep a copy of FLEET_HOME/framework before it is reseeded (the previous copy replaced). */
export function backupFramework(home: FleetHome): void {
  const dir = updateBackupDir(home);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  rmSync(path.join(dir, 'framework'), { recursive: true, force: true });
  if (existsSync(home.frameworkDir))
    cpSync(home.frameworkDir, path.join(dir, 'framework'), { recursive: true });
}

/** Keep the installed units' text before they are rewritten. */
export function backupUnits(home: FleetHome, installed: ReadonlyMap<string, string>): void {
  const dir = path.join(updateBackupDir(home), 'units');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (const [name, text] of installed) writeFileSync(path.join(dir, name), text, { mode: 0o600 });
}
