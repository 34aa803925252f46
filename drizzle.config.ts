// drizzle-kit is used for `generate` only (npm run db:generate): it reads lib/store/schema.ts and
// writes SQL into drizzle/. Never `push` or `studio` against $FLEET_HOME/db — PGlite takes no
// lock and a second process opening the dir corrupts it (docs/pitfalls.md "PGlite takes no lock").
// lib/store/auth-schema.ts holds the web panel's authentication tables (same store).
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: ['./lib/store/schema.ts', './lib/store/auth-schema.ts'],
  out: './drizzle',
});
