import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../fsutil.js';
import type { FleetHome } from '../home.js';
import { formatHeartbeat, parseHeartbeat, type HeartbeatRecord } from '../heartbeat/protocol.js';

function readRecord(file: string): HeartbeatRecord | null {
  try {
    return parseHeartbeat(readFileSync(file, 'utf8'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

export const readHeartbeat = (home: FleetHome, name: string): HeartbeatRecord | null =>
  readRecord(home.heartbeat(name));

export const readHookStatus = (home: FleetHome, name: string): HeartbeatRecord | null =>
  readRecord(home.hookStatus(name));

export function writeHeartbeat(home: FleetHome, name: string, rec: HeartbeatRecord): void {
  writeFileAtomic(home.heartbeat(name), formatHeartbeat(rec));
}

export function writeHookStatus(home: FleetHome, name: string, rec: HeartbeatRecord): void {
  writeFileAtomic(home.hookStatus(name), formatHeartbeat(rec));
}
