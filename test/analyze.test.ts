import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestFleetd, type Running } from './support/fleetd.js';
import { until } from './support/tmux-fleet.js';

/**
 * fleetd on PGlite analyzes as autoanalyze would (server/maintenance.ts): after enough writes,
 * the tables claims read get statistics; the event logs are not read again each time.
 */
describe('PGlite statistics kept by fleetd', () => {
  let run: Running;
  beforeAll(async () => {
    run = await startTestFleetd('pglite');
  });
  afterAll(() => run?.close());

  const tuples = async (table: string): Promise<number> => {
    const { rows } = await run.fleetd.services.store.db.execute<{ n: number }>(
      sql`select reltuples::float8 as n from pg_class where relname = ${table}`,
    );
    return Number(rows[0]?.n);
  };

  it('analyzes cards and card_deps after 50 writes, and not the card event log', async () => {
    expect(await tuples('cards')).toBe(-1);
    for (let i = 0; i < 60; i++)
      await run.client.backlog.create({
        id: `a-${i}`,
        title: `card ${i}`,
        ...(i ? { depends_on: [`a-${i - 1}`] } : {}),
      });
    await until(async () => (await tuples('cards')) === 60, 'cards analyzed', 30_000);
    expect(await tuples('card_deps')).toBe(59);
    expect(await tuples('card_events')).toBe(-1);
  });
});
