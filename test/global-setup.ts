/**
 * Integration setup: build dist/fleet.cjs once (CLI tests run the built binary,
 * docs/architecture.md "Tests") and provide a PostgreSQL — TEST_DATABASE_URL, a reachable local one, or a throwaway
 * server started here and stopped in teardown. Suites create their own databases on it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { openStore } from '../lib/store/db.js';
import { testPostgres } from './support/postgres.js';
import { stopStrayServers } from './support/stray-tmux.js';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    /** a migrated, closed PGlite dir that tests copy into a FLEET_HOME to skip the cold create */
    pgliteTemplate: string;
  }
}

/**
 * PGlite's first create costs seconds (docs/pitfalls.md "Store"); tests that start many fleetd
 * processes copy this dir instead. It is opened here once and closed before anyone copies it.
 */
async function pgliteTemplate(): Promise<string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fleet-pglite-template-'));
  const store = await openStore({ dataDir: path.join(dir, 'db') });
  await store.migrate();
  await store.close();
  return dir;
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (!process.env.FLEET_SKIP_BUILD)
    execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  const [server, template] = await Promise.all([testPostgres({ fast: true }), pgliteTemplate()]);
  project.provide('databaseUrl', server.url);
  project.provide('pgliteTemplate', path.join(template, 'db'));
  return async () => {
    await server.stop();
    rmSync(template, { recursive: true, force: true });
    for (const line of stopStrayServers()) console.error(`integration teardown: ${line}`);
  };
}
