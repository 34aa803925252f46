import { readFileSync, rmSync } from 'node:fs';
import { writeFileAtomic } from '../fsutil.js';
import type { FleetHome } from '../home.js';
import { pidAlive } from '../launch/pid.js';

/**
 * run/<name>.takeover: present while an operator holds `fleet agent attach <name>`. Automated
 * sends queue instead of typing over the human. A marker whose holder died is ignored.
 */
export interface Takeover {
  who: string;
  host: string;
  pid: number;
  since: string;
}

const takeoverFile = (home: FleetHome, name: string): string => home.takeover(name);

export function readTakeover(home: FleetHome, name: string, localHost: string): Takeover | null {
  let t: Takeover;
  try {
    t = JSON.parse(readFileSync(takeoverFile(home, name), 'utf8')) as Takeover;
  } catch {
    return null;
  }
  // a marker from another host cannot be checked here: trust it
  if (t.host === localHost && !pidAlive(t.pid)) return null;
  return t;
}

export function describeTakeover(t: Takeover | null): string | null {
  return t ? `${t.who}@${t.host} since ${t.since}` : null;
}

export function writeTakeover(home: FleetHome, name: string, t: Takeover): void {
  writeFileAtomic(takeoverFile(home, name), JSON.stringify(t) + '\n');
}

export function clearTakeover(home: FleetHome, name: string, pid: number): void {
  try {
    const t = JSON.parse(readFileSync(takeoverFile(home, name), 'utf8')) as Takeover;
    if (t.pid !== pid) return; // someone else's takeover
  } catch {
    return;
  }
  rmSync(takeoverFile(home, name), { force: true });
}
