import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface SourceFile {
  /** file stem: the id or class */
  id: string;
  file: string;
  text: string;
  /** 'framework' for shipped files, 'user' for FLEET_HOME overrides */
  origin: 'framework' | 'user';
}

/**
 * Files with `ext` from the shipped dir, then the user's override dir; a user file with the
 * same stem replaces the shipped one (user wins on merge, docs/architecture.md "FLEET_HOME").
 */
export function mergedSources(
  shippedDir: string,
  userDir: string | undefined,
  ext: string,
  skip: ReadonlySet<string> = new Set(),
): SourceFile[] {
  const byId = new Map<string, SourceFile>();
  const add = (dir: string | undefined, origin: SourceFile['origin']) => {
    if (!dir || !existsSync(dir)) return;
    for (const name of readdirSync(dir).sort()) {
      if (!name.endsWith(ext) || skip.has(name)) continue;
      const file = path.join(dir, name);
      byId.set(name.slice(0, -ext.length), {
        id: name.slice(0, -ext.length),
        file,
        text: readFileSync(file, 'utf8'),
        origin,
      });
    }
  };
  add(shippedDir, 'framework');
  add(userDir, 'user');
  return [...byId.values()].sort((a, b) => a.id.localeCompare(b.id));
}
