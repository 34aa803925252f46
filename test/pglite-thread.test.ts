import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RemotePglite } from '@/lib/store/pglite-remote.js';

/** A simple-query message of the wire protocol: 'Q', its length, the text and a NUL. */
function simpleQuery(sql: string): Uint8Array {
  const text = Buffer.from(`${sql}\0`, 'utf8');
  const head = Buffer.alloc(5);
  head.write('Q', 0, 'ascii');
  head.writeInt32BE(4 + text.length, 1);
  return new Uint8Array(Buffer.concat([head, text]));
}

/** PGlite on the store's own thread (lib/store/pglite-thread.mjs), as fleetd opens it. */
describe('the embedded store on its own thread', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mf-thread-'));
  let db: RemotePglite;
  beforeAll(async () => {
    db = await RemotePglite.open(path.join(dir, 'db'));
    await db.query('create table t (id text primary key, n int not null, at timestamptz)');
  });
  afterAll(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs statements with their parameters, rows as objects or arrays, times as text', async () => {
    const ins = await db.query('insert into t values ($1, $2, $3)', [
      'a',
      1,
      '2026-12-03T10:00:00Z',
    ]);
    expect(ins.affectedRows).toBe(1);
    const obj = await db.query('select id, n, at from t where id = $1', ['a']);
    expect(obj.rows).toEqual([{ id: 'a', n: 1, at: '2026-12-03 10:00:00+00' }]);
    const arr = await db.query('select id, n from t', [], { rowMode: 'array' });
    expect(arr.rows).toEqual([['a', 1]]);
  });

  it("keeps PostgreSQL's error fields (the code, the constraint), not only the message", async () => {
    const e = await db.query('insert into t values ($1, $2)', ['a', 2]).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(Error);
    expect(e).toMatchObject({ code: '23505', constraint: 't_pkey' });
    expect((e as Error).message).toMatch(/duplicate key/);
  });

  it('commits a transaction that ends well, rolls back one that throws, and holds others back meanwhile', async () => {
    await db.transaction(async (tx) => {
      await tx.query('insert into t values ($1, $2)', ['b', 2]);
    });
    const boom = new Error('changed my mind');
    await expect(
      db.transaction(async (tx) => {
        await tx.query('insert into t values ($1, $2)', ['c', 3]);
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect((await db.query('select id from t order by id')).rows).toEqual([
      { id: 'a' },
      { id: 'b' },
    ]);
    // a statement sent while a transaction is open runs after it ends, and sees its write
    const order: string[] = [];
    let outside!: Promise<unknown>;
    await db.transaction(async (tx) => {
      await tx.query('insert into t values ($1, $2)', ['d', 4]);
      outside = db.query('select count(*)::int as n from t').then((r) => {
        order.push('outside');
        return r.rows;
      });
      await new Promise((r) => setTimeout(r, 50));
      order.push('commit');
    });
    expect(await outside).toEqual([{ n: 3 }]);
    expect(order).toEqual(['commit', 'outside']);
  });

  it('speaks the wire protocol one message at a time, telling whether a transaction is open', async () => {
    const out: Uint8Array[] = [];
    await db.execProtocolRawStream(simpleQuery('begin'), { onRawData: (d) => out.push(d) });
    expect(db.isInTransaction()).toBe(true);
    await db.execProtocolRawStream(simpleQuery("select 'wire' as w"), {
      onRawData: (d) => out.push(d),
    });
    await db.exec('rollback');
    expect(db.isInTransaction()).toBe(false);
    expect(Buffer.concat(out).toString('latin1')).toContain('wire');
    // each answer carries its own bytes, not the whole of PGlite's memory it was read from
    for (const chunk of out) expect(chunk.buffer.byteLength).toBe(chunk.byteLength);
  });

  it('a thread that ends mid-transaction fails that transaction and every later call with why', async () => {
    const other = await RemotePglite.open(path.join(dir, 'db3'));
    const thread = (other as unknown as { worker: Worker }).worker;
    const tx = other.transaction(async (t) => {
      await t.query('select 1');
      await thread.terminate();
      // the transaction goes on a while before it learns the thread is gone
      await new Promise((r) => setTimeout(r, 20));
      await t.query('select 2');
    });
    await expect(tx).rejects.toThrow(/the store's thread ended/);
    await expect(other.query('select 1')).rejects.toThrow(/the store's thread ended/);
    await other.close();
  });

  it('a data dir PGlite cannot open fails with its reason; a closed store says so', async () => {
    const file = path.join(dir, 'not-a-dir');
    writeFileSync(file, 'x');
    await expect(RemotePglite.open(file)).rejects.toThrow(/.+/);
    const other = await RemotePglite.open(path.join(dir, 'db2'));
    await other.close();
    await expect(other.query('select 1')).rejects.toThrow(/the store is closed/);
  });
});
