// `npm run bench`: runs every bench/*.bench.ts in turn. Each prints its figures beside a
// baseline measured in the same run; nothing here passes or fails on a number.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const dir = path.dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => !only.length || only.some((o) => f.includes(o)))
  .sort();
for (const f of files) {
  console.log(`\n== ${f} ==`);
  const mod = (await import(pathToFileURL(path.join(dir, f)).href)) as {
    default: () => Promise<void>;
  };
  await mod.default();
}
