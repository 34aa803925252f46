import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { FleetHome } from '../home.js';

/**
 * Remove everything run/ holds for one agent (heartbeat, hook report, launch state, takeover
 * marker, locks, queued messages, a runtime's own files): what an agent leaves when it is
 * removed from the fleet. Returns the paths removed.
 */
export function removeAgentRunFiles(home: FleetHome, name: string): string[] {
  const fixed = [
    home.heartbeat(name),
    home.hookStatus(name),
    home.launchState(name),
    home.takeover(name),
    home.sendLock(name),
    home.startLock(name),
  ];
  // a runtime's files are `<name>.<suffix>` (lib/home.ts agentRunFile)
  let own: string[] = [];
  try {
    own = readdirSync(home.runDir)
      .filter((f) => f.startsWith(`${name}.`))
      .map((f) => path.join(home.runDir, f));
  } catch {
    // no run/ yet
  }
  const removed: string[] = [];
  for (const file of new Set([...fixed, ...own])) {
    try {
      rmSync(file);
      removed.push(file);
    } catch {
      // not there
    }
  }
  const queue = home.queueDir(name);
  try {
    rmSync(queue, { recursive: true });
    removed.push(queue);
  } catch {
    // no queue
  }
  return removed;
}
