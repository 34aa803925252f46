// The embedded store's own thread (docs/architecture.md "Store"). PGlite runs here, not on
// fleetd's main thread, so the database's work and fleetd's HTTP, JSON and supervisor work use
// two cores. lib/store/pglite-remote.ts is the other end: it sends each statement here and gets
// the result back. Plain JavaScript: a worker thread is started from a file Node runs as it
// is, whether fleetd runs from dist/ or from the sources under tsx or vitest.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, types } from '@electric-sql/pglite';

const port = parentPort;
const same = (v) => v;
// what drizzle's PGlite driver asks for: dates, times, intervals and numeric arrays stay text
const parsers = {
  [types.TIMESTAMP]: same,
  [types.TIMESTAMPTZ]: same,
  [types.INTERVAL]: same,
  [types.DATE]: same,
  1231: same,
  1115: same,
  1185: same,
  1187: same,
  1182: same,
};

/** An error as data: a structured clone keeps only the message of an Error, not its code. */
function errorData(e) {
  const out = { message: e instanceof Error ? e.message : String(e) };
  if (e && typeof e === 'object')
    for (const [k, v] of Object.entries(e))
      if (typeof v === 'string' || typeof v === 'number') out[k] = v;
  if (e instanceof Error) out.name = e.name;
  return out;
}

const ROLLBACK = Symbol('rollback');
/** open transactions: id → the transaction and how to end it */
const txs = new Map();
let nextTx = 1;
let db;

/** `work`, then whether the protocol session is inside a transaction (pglite-socket asks) */
const withTxState = (work) => work.then(() => ({ inTransaction: db.isInTransaction() }));

function answer(id, work) {
  work.then(
    (result) => port.postMessage({ id, result }),
    (e) => port.postMessage({ id, error: errorData(e) }),
  );
}

function begin(id) {
  const txId = nextTx++;
  const ended = db.transaction(
    (tx) =>
      new Promise((resolve, reject) => {
        txs.set(txId, { tx, end: (commit) => (commit ? resolve() : reject(ROLLBACK)) });
        port.postMessage({ id, result: txId });
      }),
  );
  ended
    .then(
      () => port.postMessage({ end: txId }),
      (e) => port.postMessage(e === ROLLBACK ? { end: txId } : { end: txId, error: errorData(e) }),
    )
    .finally(() => txs.delete(txId));
}

function on(m) {
  switch (m.op) {
    // the rows and the count only: nothing reads a result's field list, and each answer is
    // copied between the threads
    case 'query': {
      const where = m.tx ? txs.get(m.tx)?.tx : db;
      if (!where) return port.postMessage({ id: m.id, error: { message: 'transaction is over' } });
      return answer(
        m.id,
        where
          .query(m.sql, m.params, { rowMode: m.rowMode, parsers })
          .then((r) => ({ rows: r.rows, affectedRows: r.affectedRows })),
      );
    }
    case 'begin':
      return begin(m.id);
    case 'end':
      return txs.get(m.tx)?.end(m.commit);
    // the wire protocol, for `fleet db expose` (pglite-socket): one message at a time, alone
    case 'raw':
      return answer(
        m.id,
        withTxState(
          db.runExclusive(() =>
            db.execProtocolRawStream(m.message, {
              // a copy of just these bytes: the chunk is a view into PGlite's whole memory,
              // which a structured clone would copy entire
              onRawData: (chunk) => port.postMessage({ id: m.id, chunk: chunk.slice() }),
            }),
          ),
        ),
      );
    case 'exec':
      return answer(m.id, withTxState(db.exec(m.sql)));
    case 'close':
      return answer(
        m.id,
        db.close().then(() => null),
      );
  }
}

try {
  db = await PGlite.create(workerData.dataDir);
  port.on('message', on);
  port.postMessage({ ready: true });
} catch (e) {
  port.postMessage({ ready: false, error: errorData(e) });
}
