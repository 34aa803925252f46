import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { formatHeartbeat } from '@/lib/heartbeat/protocol.js';
import { watchAgentStates } from './state-watch.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Written as agents do: a temp file renamed over the heartbeat. */
function beat(dir: string, file: string, status: 'idle' | 'busy' | 'waiting'): void {
  const tmp = path.join(dir, `${file}.123.tmp`);
  writeFileSync(tmp, formatHeartbeat({ ts: Date.now(), pid: 1, status, epoch: 1, src: 'self' }));
  renameSync(tmp, path.join(dir, file));
}

const settle = () => new Promise((r) => setTimeout(r, 150));

describe('watchAgentStates', () => {
  it('tells when an agent’s reported status changes, not when the same status is rewritten', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mf-watch-'));
    dirs.push(dir);
    const seen: string[] = [];
    const stop = watchAgentStates(
      dir,
      (a) => seen.push(a),
      () => undefined,
    );
    try {
      beat(dir, 'w1.hb', 'idle');
      await settle();
      expect(seen).toEqual(['w1']);
      beat(dir, 'w1.hb', 'idle');
      await settle();
      expect(seen).toEqual(['w1']);
      beat(dir, 'w1.hb', 'waiting');
      beat(dir, 'orch.status', 'busy');
      await settle();
      expect(seen.sort()).toEqual(['orch', 'w1', 'w1']);
      writeFileSync(path.join(dir, 'fleetd.lock'), 'x');
      writeFileSync(path.join(dir, 'w2.hb'), 'not a heartbeat');
      await settle();
      expect(seen).toHaveLength(3);
    } finally {
      stop();
    }
  });

  it('a directory that cannot be watched is reported, and the tick remains', () => {
    const lines: string[] = [];
    const stop = watchAgentStates(
      '/nonexistent/run',
      () => undefined,
      (l) => lines.push(l),
    );
    stop();
    expect(lines.join()).toMatch(/cannot watch \/nonexistent\/run/);
  });
});
