/**
 * PGlite on its own thread (lib/store/pglite-thread.mjs), behind the part of PGlite's interface
 * the store uses: `query` and `transaction` for drizzle's PGlite driver, and for `fleet db
 * expose` (pglite-socket) the wire protocol one message at a time. fleetd's main thread then
 * parses HTTP, builds JSON and runs the supervisor while the database works (docs/architecture.md
 * "Store"). Statements reach the thread in the order they are sent, and PGlite runs them one at
 * a time as it did in-process: a transaction holds PGlite's lock on the thread until it ends.
 */
import { Worker } from 'node:worker_threads';

interface Waiting {
  resolve(v: unknown): void;
  reject(e: unknown): void;
  chunk?: (data: Uint8Array) => void;
}

interface ErrorData {
  message: string;
  [k: string]: string | number;
}

type Reply =
  | { ready: true }
  | { ready: false; error: ErrorData }
  | { id: number; result: unknown }
  | { id: number; error: ErrorData }
  | { id: number; chunk: Uint8Array }
  | { end: number; error?: ErrorData };

export interface QueryOptions {
  rowMode?: 'array' | 'object';
}

export interface RemoteResults {
  rows: unknown[];
  affectedRows?: number;
}

/** The thread's error as an Error again, with its fields (`code`, `detail`, `constraint`…). */
function errorOf(data: ErrorData): Error {
  const { message, name, ...fields } = data;
  const e = Object.assign(new Error(message), fields);
  if (typeof name === 'string') e.name = name;
  return e;
}

export class RemotePglite {
  private readonly waiting = new Map<number, Waiting>();
  private readonly ends = new Map<number, Waiting>();
  private next = 1;
  private gone: Error | null = null;
  private inTransaction = false;
  /** pglite-socket waits on this before it listens */
  readonly waitReady: Promise<void>;

  private constructor(
    private readonly worker: Worker,
    ready: Promise<void>,
  ) {
    this.waitReady = ready;
  }

  /** Start the thread and open the data dir there; rejects with PGlite's own error. */
  static async open(dataDir: string): Promise<RemotePglite> {
    const worker = new Worker(new URL('./pglite-thread.mjs', import.meta.url), {
      workerData: { dataDir },
    });
    let opened!: () => void;
    let failed!: (e: unknown) => void;
    const ready = new Promise<void>((resolve, reject) => {
      opened = resolve;
      failed = reject;
    });
    const remote = new RemotePglite(worker, ready);
    worker.on('message', (m: Reply) => {
      if ('ready' in m) return m.ready ? opened() : failed(errorOf(m.error));
      remote.reply(m);
    });
    worker.on('error', (e) => {
      failed(e);
      remote.stop(e);
    });
    worker.on('exit', (code) => {
      const e = new Error(`the store's thread ended (exit code ${code})`);
      failed(e);
      remote.stop(e);
    });
    try {
      await ready;
    } catch (e) {
      await worker.terminate();
      throw e;
    }
    return remote;
  }

  private reply(m: Exclude<Reply, { ready: boolean }>): void {
    if ('end' in m) {
      const w = this.ends.get(m.end);
      this.ends.delete(m.end);
      if (m.error) w?.reject(errorOf(m.error));
      else w?.resolve(undefined);
      return;
    }
    const w = this.waiting.get(m.id);
    if (!w) return;
    if ('chunk' in m) return w.chunk?.(m.chunk);
    this.waiting.delete(m.id);
    if ('error' in m) w.reject(errorOf(m.error));
    else w.resolve(m.result);
  }

  /** Every call waiting, and every call after, fails with why the thread is gone. */
  private stop(e: Error): void {
    this.gone ??= e;
    for (const w of [...this.waiting.values(), ...this.ends.values()]) w.reject(this.gone);
    this.waiting.clear();
    this.ends.clear();
  }

  private send(msg: Record<string, unknown>, chunk?: (data: Uint8Array) => void): Promise<unknown> {
    if (this.gone) return Promise.reject(this.gone);
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject, chunk });
      this.worker.postMessage({ ...msg, id });
    });
  }

  query(sql: string, params?: unknown[], opts?: QueryOptions, tx?: number): Promise<RemoteResults> {
    return this.send({
      op: 'query',
      sql,
      params: params ?? [],
      rowMode: opts?.rowMode ?? 'object',
      tx,
    }) as Promise<RemoteResults>;
  }

  /**
   * `fn` inside one transaction on the thread: committed when it resolves, rolled back when it
   * throws. Statements from outside it wait on the thread until it ends, as in PGlite.
   */
  async transaction<T>(fn: (tx: { query: RemotePglite['query'] }) => Promise<T>): Promise<T> {
    const id = (await this.send({ op: 'begin' })) as number;
    const ended = new Promise((resolve, reject) => this.ends.set(id, { resolve, reject }));
    // the thread may end while `fn` still runs: that is said when `ended` is awaited below,
    // not as an unhandled rejection meanwhile
    ended.catch(() => undefined);
    const tx = {
      query: (sql: string, params?: unknown[], opts?: QueryOptions) =>
        this.query(sql, params, opts, id),
    };
    let out: T;
    try {
      out = await fn(tx);
    } catch (e) {
      this.worker.postMessage({ op: 'end', tx: id, commit: false });
      await ended.catch(() => undefined);
      throw e;
    }
    this.worker.postMessage({ op: 'end', tx: id, commit: true });
    await ended;
    return out;
  }

  /** For pglite-socket: the thread takes PGlite's lock for each message itself. */
  runExclusive<T>(fn: () => Promise<T>): Promise<T> {
    return fn();
  }

  /** For pglite-socket: whether the protocol session is inside a transaction after its last message. */
  isInTransaction(): boolean {
    return this.inTransaction;
  }

  async execProtocolRawStream(
    message: Uint8Array,
    opts: { onRawData: (data: Uint8Array) => void },
  ): Promise<void> {
    const r = (await this.send({ op: 'raw', message }, opts.onRawData)) as {
      inTransaction: boolean;
    };
    this.inTransaction = r.inTransaction;
  }

  async exec(sql: string): Promise<void> {
    const r = (await this.send({ op: 'exec', sql })) as { inTransaction: boolean };
    this.inTransaction = r.inTransaction;
  }

  /** Close PGlite on its thread, then end the thread. */
  async close(): Promise<void> {
    if (!this.gone) await this.send({ op: 'close' });
    this.gone ??= new Error('the store is closed');
    await this.worker.terminate();
  }
}
