/**
 * Human access to the store goes through fleetd, never by opening the PGlite dir (DESIGN.md).
 * For PGlite, fleetd starts @electric-sql/pglite-socket on demand on a loopback port. That
 * socket serialises every client onto one session (PITFALLS.md "Store"): an idle open
 * transaction in psql stalls fleetd itself, so it is for looking, then closing.
 */
import net from 'node:net';
import type { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import type { Store } from '../lib/store/db.js';

export interface ExposedStore {
  kind: 'pglite' | 'postgres';
  /** a connection string for psql (no password is ever included) */
  url: string;
  note: string;
}

async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() =>
        typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port')),
      );
    });
  });
}

export class StoreExposer {
  private server: PGLiteSocketServer | null = null;
  private url: string | null = null;

  constructor(private readonly store: Store) {}

  async expose(port?: number): Promise<ExposedStore> {
    if (this.store.kind === 'postgres') {
      return {
        kind: 'postgres',
        url: this.store.location,
        note: 'PostgreSQL: connect with your own credentials',
      };
    }
    if (!this.server) {
      const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
      const chosen = port ?? (await freeLoopbackPort());
      const server = new PGLiteSocketServer({
        db: this.store.pglite!,
        host: '127.0.0.1',
        port: chosen,
        maxConnections: 4,
      });
      await server.start();
      this.server = server;
      this.url = `postgresql://postgres@127.0.0.1:${chosen}/postgres?sslmode=disable`;
    }
    return {
      kind: 'pglite',
      url: this.url!,
      note:
        'shared with fleetd on one session: keep transactions short (an idle open transaction stalls the fleet), ' +
        "don't SET or LISTEN; close it with `fleet db close`",
    };
  }

  async close(): Promise<boolean> {
    const server = this.server;
    if (!server) return false;
    this.server = null;
    this.url = null;
    await server.stop();
    return true;
  }
}
