import { describe, expect, it } from 'vitest';
import { OutageWatch, StoreUnavailable, unreachableCause } from './outage.js';

const errno = (code: string, message: string) => Object.assign(new Error(message), { code });
/** what drizzle throws: the driver's error as the cause of "Failed query: …" */
const failedQuery = (cause: unknown) =>
  new Error('Failed query: select 1\nparams: secret-param', { cause });

describe('unreachableCause', () => {
  it('finds a refused or cut connection under the query wrapper', () => {
    const refused = errno('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432');
    expect(unreachableCause(failedQuery(refused))).toBe(refused);
    const cut = new Error('Connection terminated unexpectedly');
    expect(unreachableCause(failedQuery(cut))).toBe(cut);
    const dead = new Error('Client has encountered a connection error and is not queryable');
    expect(unreachableCause(failedQuery(dead))).toBe(dead);
  });

  it('counts a server shutting down or a connection exception', () => {
    expect(unreachableCause(errno('57P01', 'terminating connection'))).not.toBeNull();
    expect(unreachableCause(errno('57P03', 'the database system is starting up'))).not.toBeNull();
    expect(unreachableCause(errno('08006', 'connection failure'))).not.toBeNull();
  });

  it('leaves statement errors and a closed pool alone', () => {
    expect(unreachableCause(failedQuery(errno('23505', 'duplicate key')))).toBeNull();
    expect(unreachableCause(failedQuery(errno('42P01', 'relation does not exist')))).toBeNull();
    expect(unreachableCause(new Error('Cannot use a pool after calling end on the pool'))).toBe(
      null,
    );
    expect(unreachableCause('ECONNREFUSED')).toBeNull();
  });
});

describe('OutageWatch', () => {
  it('logs the first failure of an outage and its end, once each', () => {
    const lines: string[] = [];
    let now = 1_000;
    const watch = new OutageWatch(
      'postgresql://u@db/x',
      (l) => lines.push(l),
      () => now,
    );
    const refused = failedQuery(errno('ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.1:5432'));
    watch.reached();
    expect(lines).toEqual([]);
    const first = watch.check(refused);
    for (let i = 0; i < 20; i++) expect(watch.check(refused)).toBeInstanceOf(StoreUnavailable);
    expect(watch.down).toBe(true);
    now += 7_000;
    watch.reached();
    watch.reached();
    expect(lines).toEqual([
      'store: PostgreSQL at postgresql://u@db/x is unreachable (connect ECONNREFUSED 10.0.0.1:5432); the agents keep running, store calls fail until it is back, fleetd reconnects by itself',
      'store: PostgreSQL at postgresql://u@db/x is reachable again (after 7 s)',
    ]);
    // the error every edge shows: one line, the cause kept, no query parameters
    expect(first).toMatchObject({ code: 'STORE_UNAVAILABLE', cause: refused });
    expect(first!.message).not.toContain('\n');
    expect(first!.message).not.toContain('secret-param');
    watch.check(refused);
    expect(lines).toHaveLength(3);
  });

  it('answers null for an error that is not about reaching the store, and logs nothing', () => {
    const lines: string[] = [];
    const watch = new OutageWatch('x', (l) => lines.push(l));
    expect(watch.check(failedQuery(errno('23505', 'duplicate key')))).toBeNull();
    expect(watch.down).toBe(false);
    expect(lines).toEqual([]);
  });
});
