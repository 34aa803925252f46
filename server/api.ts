/**
 * fleetd's local API: versioned JSON over HTTP on the Unix socket run/fleetd.sock, mode 0600
 * (docs/architecture.md "Everyone else asks fleetd"). The routes are in one table,
 * server/routes/index.ts.
 */
import { chmodSync, mkdirSync, unlinkSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { Router } from './router.js';

export interface ApiServer {
  socketPath: string;
  close(): Promise<void>;
}

/**
 * Listen on the socket. The caller holds the FLEET_HOME lock, so a socket file left by a killed
 * fleetd is ours to remove.
 */
export async function listenOnSocket(router: Router, socketPath: string): Promise<ApiServer> {
  mkdirSync(path.dirname(socketPath), { recursive: true, mode: 0o700 });
  try {
    unlinkSync(socketPath);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const shutdown = new AbortController();
  const server = http.createServer((req, res) => void router.handle(req, res, shutdown.signal));
  server.keepAliveTimeout = 30_000;
  // long polls hold a request for up to MAX_WAIT_MS; the client's own timeout ends them sooner
  server.requestTimeout = 0;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => {
      server.off('error', reject);
      resolve();
    });
  });
  chmodSync(socketPath, 0o600);
  return {
    socketPath,
    async close() {
      shutdown.abort();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // answered long polls have flushed by now; drop anything still open
      setTimeout(() => server.closeAllConnections(), 1000).unref();
      await closed;
      try {
        unlinkSync(socketPath);
      } catch {
        // already gone: server.close removes it on some platforms
      }
    },
  };
}
