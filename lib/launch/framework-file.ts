import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { frameworkDir } from '../framework.js';

const cache = new Map<string, string>();

/**
 * A file shipped in framework/, such as an adapter's `frameworkScript` (the stub agent is
 * framework/stub/agent.mjs; its registry `bin` is symbolic).
 */
export function frameworkFile(rel: string): string {
  const hit = cache.get(rel);
  if (hit) return hit;
  const found = lookUp(rel);
  cache.set(rel, found);
  return found;
}

function lookUp(rel: string): string {
  try {
    const p = path.join(frameworkDir(), rel);
    if (existsSync(p)) return p;
  } catch {
    // frameworkDir() looks for framework/presets; fall back to looking for the file itself
  }
  for (const start of [path.dirname(fileURLToPath(import.meta.url)), process.cwd()]) {
    for (let dir = start; ; dir = path.dirname(dir)) {
      const p = path.join(dir, 'framework', rel);
      if (existsSync(p)) return p;
      if (path.dirname(dir) === dir) break;
    }
  }
  throw new Error(`cannot find framework/${rel} (set FLEET_FRAMEWORK_DIR)`);
}
