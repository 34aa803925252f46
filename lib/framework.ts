import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/**
 * The shipped framework/ directory. The bundled CLI lives in dist/, sources in lib/, and Next's
 * server output deeper still, so walk up from this module until framework/presets appears.
 * FLEET_FRAMEWORK_DIR overrides (used by packaging and tests).
 */
export function frameworkDir(): string {
  if (process.env.FLEET_FRAMEWORK_DIR) return path.resolve(process.env.FLEET_FRAMEWORK_DIR);
  if (cached) return cached;
  const starts = [path.dirname(fileURLToPath(import.meta.url)), process.cwd()];
  for (const start of starts) {
    let dir = start;
    for (;;) {
      if (existsSync(path.join(dir, 'framework', 'presets'))) {
        cached = path.join(dir, 'framework');
        return cached;
      }
      const up = path.dirname(dir);
      if (up === dir) break;
      dir = up;
    }
  }
  throw new Error('cannot find the framework/ directory (set FLEET_FRAMEWORK_DIR)');
}
