import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { mkdirPrivate, writeFileAtomic } from '../fsutil.js';
import type { FleetHome } from '../home.js';

/**
 * Messages that could not be typed yet (the agent is taken over, or busy for a --when-idle
 * send) wait in run/queue/<name>/, oldest first. Whoever can deliver drains it: the attach
 * command when the operator detaches, and fleetd once it runs.
 */
export interface QueuedMessage {
  id: string;
  agent: string;
  /** the exact text to type, source label already applied */
  text: string;
  source: string;
  whenIdle: boolean;
  queuedAt: string;
}

export const queueDir = (home: FleetHome, name: string): string => home.queueDir(name);

export function enqueue(
  home: FleetHome,
  m: Omit<QueuedMessage, 'id'>,
  nowMs: number,
): QueuedMessage {
  const id = `${nowMs.toString().padStart(14, '0')}-${randomBytes(3).toString('hex')}`;
  const msg = { ...m, id };
  mkdirPrivate(queueDir(home, m.agent));
  writeFileAtomic(
    path.join(queueDir(home, m.agent), `${id}.json`),
    JSON.stringify(msg) + '\n',
    0o600,
  );
  return msg;
}

export function listQueue(home: FleetHome, name: string): QueuedMessage[] {
  let files: string[];
  try {
    files = readdirSync(queueDir(home, name)).filter((f) => f.endsWith('.json'));
  } catch {
    return [];
  }
  return files
    .sort()
    .map(
      (f) => JSON.parse(readFileSync(path.join(queueDir(home, name), f), 'utf8')) as QueuedMessage,
    );
}

export function dequeue(home: FleetHome, name: string, id: string): void {
  rmSync(path.join(queueDir(home, name), `${id}.json`), { force: true });
}
