import { readFileSync, rmSync, statSync } from 'node:fs';
import { writeFileAtomic } from '../fsutil.js';
import type { FleetHome } from '../home.js';

/**
 * run/PAUSED: the file half of the PAUSE kill-switch (the store flag is the other half). An
 * operator may also just `touch` it: an empty or unreadable file still means paused.
 */
export interface PauseFile {
  since: string;
  by: string;
  reason: string | null;
  /** the pause is a drain (docs/operations.md "Drain") */
  drain?: boolean;
}

export function readPauseFile(home: FleetHome): PauseFile | null {
  let text: string;
  let mtime: Date;
  try {
    mtime = statSync(home.paused).mtime;
    text = readFileSync(home.paused, 'utf8');
  } catch {
    return null;
  }
  try {
    const v = JSON.parse(text) as Partial<PauseFile>;
    return {
      since: typeof v.since === 'string' ? v.since : mtime.toISOString(),
      by: typeof v.by === 'string' ? v.by : 'run/PAUSED',
      reason: typeof v.reason === 'string' ? v.reason : null,
      drain: v.drain === true,
    };
  } catch {
    return { since: mtime.toISOString(), by: 'run/PAUSED', reason: text.trim() || null };
  }
}

export function writePauseFile(home: FleetHome, p: PauseFile): void {
  writeFileAtomic(home.paused, JSON.stringify(p) + '\n');
}

export function clearPauseFile(home: FleetHome): void {
  rmSync(home.paused, { force: true });
}
