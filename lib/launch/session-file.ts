import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { SessionFileQuery } from '../runtimes/types.js';

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
