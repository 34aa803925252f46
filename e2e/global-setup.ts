/**
 * A PostgreSQL for the Kanban tests against `DATABASE_URL` (the throwaway server of the
 * integration tests: TEST_DATABASE_URL, a local one, or one started here and stopped after).
 */
import type { TestProject } from 'vitest/node';
import { testPostgres } from '../test/support/postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await testPostgres({ fast: true });
  project.provide('databaseUrl', server.url);
  return () => server.stop();
}
