import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';

const isGone = (e: unknown): boolean =>
  (e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR';

/**
 * Apparent size in bytes of everything under `dir` (files, and symlinks as links: never
 * followed, so a link to `/` costs its own few bytes). A file with several hard links counts
 * once. Entries that vanish during the walk (an agent deleting its build output) are skipped;
 * `dir` itself missing is an error.
 */
export async function diskUsage(dir: string): Promise<number> {
  const root = await lstat(dir);
  if (!root.isDirectory()) return root.size;
  const seen = new Set<string>();
  let total = 0;
  const stack = [dir];
  while (stack.length) {
    const d = stack.pop()!;
    let names: string[];
    try {
      names = await readdir(d);
    } catch (e) {
      if (isGone(e)) continue;
      throw e;
    }
    for (const name of names) {
      const p = path.join(d, name);
      let st;
      try {
        st = await lstat(p);
      } catch (e) {
        if (isGone(e)) continue;
        throw e;
      }
      if (st.isDirectory()) stack.push(p);
      else if (st.nlink > 1) {
        const key = `${st.dev}:${st.ino}`;
        if (seen.has(key)) continue;
        seen.add(key);
        total += st.size;
      } else total += st.size;
    }
  }
  return total;
}
