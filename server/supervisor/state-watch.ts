/**
 * Wake the supervisor when an agent's reported state changes (docs/attention.md "How fast"):
 * heartbeats and hook reports are files in run/ (lib/run/heartbeat.ts), so an inotify watch on
 * that directory tells fleetd at once that an agent started waiting for a human, instead of at
 * the next tick, and that an agent became idle, so the dispatcher can give it its next card.
 * Heartbeats are rewritten every interval; only a change of status counts.
 */
import { readFileSync, watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { parseHeartbeat } from '@/lib/heartbeat/protocol.js';

const FLUSH_MS = 10;
const STATE_FILE = /^([a-z][a-z0-9_-]{0,47})\.(hb|status)$/;

export function watchAgentStates(
  runDir: string,
  onChange: (agent: string, status: string) => void,
  log: (line: string) => void,
): () => void {
  const last = new Map<string, string>();
  let watcher: FSWatcher | undefined;
  /** agent → its latest reported status, told at the next flush */
  const pending = new Map<string, string>();
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    timer = undefined;
    for (const [name, status] of pending) onChange(name, status);
    pending.clear();
  };
  try {
    watcher = watch(runDir, { persistent: false }, (_event, file) => {
      const m = typeof file === 'string' ? STATE_FILE.exec(file) : null;
      if (!m) return;
      let status: string;
      try {
        // heartbeat protocol v1 (lib/heartbeat/protocol.ts), for .hb and .status alike
        const rec = parseHeartbeat(readFileSync(path.join(runDir, file!), 'utf8'));
        if (!rec) return;
        status = rec.status;
      } catch {
        return; // mid-rename or gone: the next write or tick tells
      }
      const key = `${m[1]}.${m[2]}`;
      if (last.get(key) === status) return;
      last.set(key, status);
      pending.set(m[1]!, status);
      // a short wait lets a burst of rewrites (several agents at once) go out as one
      timer ??= setTimeout(flush, FLUSH_MS);
    });
    watcher.on('error', (e) => log(`supervisor: watching ${runDir}: ${e.message}`));
  } catch (e) {
    log(
      `supervisor: cannot watch ${runDir} (${(e as Error).message}); state changes wait for the tick`,
    );
  }
  return () => {
    clearTimeout(timer);
    watcher?.close();
  };
}
