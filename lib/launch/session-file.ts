import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { RuntimeAdapter, SessionFileQuery, SessionPlace } from '../runtimes/types.js';

/** How deep a recursive look goes (codex: sessions/YYYY/MM/DD/file) and how much it reads. */
const MAX_DEPTH = 4;
const MAX_ENTRIES = 20_000;

/**
 * The file a runtime's session query names, or null (docs/runtimes.md "Resume"). A recursive
 * query looks newest-named directories first (dates sort as text), within bounds, so a large
 * session store costs a bounded walk.
 */
export function findSessionFile(q: SessionFileQuery): string | null {
  let budget = MAX_ENTRIES;
  const matches = (n: string) => (typeof q.name === 'string' ? n === q.name : q.name.test(n));
  const walk = (dir: string, depth: number): string | null => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return null;
    }
    budget -= entries.length;
    for (const e of entries) if (e.isFile() && matches(e.name)) return path.join(dir, e.name);
    if (!q.recursive || depth >= MAX_DEPTH) return null;
    const dirs = entries.filter((e) => e.isDirectory()).map((e) => e.name);
    for (const d of dirs.sort().reverse()) {
      if (budget <= 0) return null;
      const hit = walk(path.join(dir, d), depth + 1);
      if (hit) return hit;
    }
    return null;
  };
  return walk(q.dir, 0);
}

/**
 * Whether the runtime still has conversation `id` where it keeps its sessions for this agent
 * (its `resume.sessionFile`, looked for on disk). A runtime that names no file is taken at its
 * word. Asked by the launcher before it reopens a conversation, and by `fleet hook` before it
 * records one a runtime reported.
 */
export function runtimeHasSession(
  adapter: Pick<RuntimeAdapter, 'resume'>,
  id: string | null,
  place: SessionPlace,
): boolean {
  const sessionFile = adapter.resume?.sessionFile;
  if (!sessionFile) return true;
  const q = sessionFile(id, place);
  return q !== null && findSessionFile(q) !== null;
}
