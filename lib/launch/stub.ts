import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { frameworkDir } from '../framework.js';

let cached: string | undefined;

/** framework/stub/agent.mjs — the stub runtime's program (its registry `bin` is symbolic). */
export function stubAgentPath(): string {
  if (cached) return cached;
  try {
    const p = path.join(frameworkDir(), 'stub', 'agent.mjs');
    if (existsSync(p)) return (cached = p);
  } catch {
    // frameworkDir() looks for framework/presets; fall back to looking for the stub itself
  }
  for (const start of [path.dirname(fileURLToPath(import.meta.url)), process.cwd()]) {
    for (let dir = start; ; dir = path.dirname(dir)) {
      const p = path.join(dir, 'framework', 'stub', 'agent.mjs');
      if (existsSync(p)) return (cached = p);
      if (path.dirname(dir) === dir) break;
    }
  }
  throw new Error('cannot find framework/stub/agent.mjs (set FLEET_FRAMEWORK_DIR)');
}
