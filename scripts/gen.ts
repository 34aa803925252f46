// Writes the generated framework files: roster.schema.json (from the zod schema) and the
// persona library index (from the role files). `npm test` fails if they are stale.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { frameworkDir } from '../lib/framework.js';
import { loadRoles, renderRoleIndex } from '../lib/library/roles.js';
import { rosterJsonSchema } from '../lib/roster/json-schema.js';

const fw = frameworkDir();
const outputs: Record<string, string> = {
  [path.join(fw, 'roster.schema.json')]: rosterJsonSchema(),
  [path.join(fw, 'roles', 'INDEX.md')]: renderRoleIndex(loadRoles(undefined).values()),
};
for (const [file, text] of Object.entries(outputs)) {
  writeFileSync(file, text);
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}
