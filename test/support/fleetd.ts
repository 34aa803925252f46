/** Test fixtures: a temp FLEET_HOME, fleetd in-process or as a real process, worker processes. */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { FleetdClient } from '@/lib/client/fleetd.js';
import { fleetHome, type FleetHome } from '@/lib/home.js';
import { startFleetd, type Fleetd, type FleetdOptions } from '@/server/fleetd.js';
import { createDatabase } from './postgres.js';

export type StoreChoice = 'pglite' | 'postgres';

/**
 * A temp FLEET_HOME. `seeded` copies the migrated PGlite template into db/, so fleetd reopens a
 * store (as after any restart) instead of paying the cold create every time.
 */
export function tempHome(opts: { seeded?: boolean } = {}): { home: FleetHome; cleanup(): void } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'fleet-home-'));
  const home = fleetHome(root);
  if (opts.seeded) cpSync(inject('pgliteTemplate'), home.dbDir, { recursive: true });
  return { home, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

export interface Running {
  home: FleetHome;
  fleetd: Fleetd;
  client: FleetdClient;
  databaseUrl?: string;
  /** stop fleetd, drop the database, remove the home */
  close(): Promise<void>;
}

/** fleetd in this process on a temp home, reached through its real socket. */
export async function startTestFleetd(
  store: StoreChoice,
  opts: Partial<FleetdOptions> & { databaseUrl?: string } = {},
): Promise<Running> {
  const { home, cleanup } = tempHome();
  const db =
    store === 'postgres' && !opts.databaseUrl ? await createDatabase(inject('databaseUrl')) : null;
  const databaseUrl = opts.databaseUrl ?? db?.url;
  const fleetd = await startFleetd({ reapIntervalMs: 0, ...opts, home, databaseUrl });
  const client = new FleetdClient(home);
  return {
    home,
    fleetd,
    client,
    databaseUrl,
    async close() {
      client.close();
      await fleetd.stop();
      await db?.drop();
      cleanup();
    },
  };
}

export * from './procs.js';
