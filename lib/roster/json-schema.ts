import { z } from 'zod';
import { rosterSchema } from './schema.js';

/** framework/roster.schema.json, derived from the one zod schema (editors use it for completion). */
export function rosterJsonSchema(): string {
  const schema = z.toJSONSchema(rosterSchema, { io: 'input', target: 'draft-2020-12' });
  return (
    JSON.stringify(
      {
        ...schema,
        $id: 'https://mosaic-fleet.dev/roster.schema.json',
        title: 'Mosaic Fleet roster.yaml',
        description: 'Generated from lib/roster/schema.ts by `npm run gen`; do not edit.',
      },
      null,
      2,
    ) + '\n'
  );
}
