/**
 * The one `upgrade` listener of the panel's HTTP server (docs/architecture.md "Web"): terminal sockets are
 * authenticated before `handleUpgrade` (an unauthenticated client gets a 401 and never a
 * socket); in dev everything else goes to Next (hot reload), in production it is destroyed.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocket, WebSocketServer } from 'ws';
import type { SessionUser } from '@/lib/auth/auth.js';
import { checkOrigin } from './request-guard.js';
import {
  TERMINAL_MODES,
  TERMINAL_PATH_RE,
  type TerminalMode,
} from '@/lib/web/terminal-protocol.js';

export type UpgradeHandler = (
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
) => void | Promise<void>;

export interface UpgradeRouterDeps {
  wss: WebSocketServer;
  authenticate(req: IncomingMessage): Promise<SessionUser | null>;
  /** origins a browser may open a socket from; a request with another Origin is refused */
  allowedOrigins: ReadonlySet<string>;
  onTerminal(ws: WebSocket, t: { agent: string; mode: TerminalMode; user: SessionUser }): void;
  /** Next's own upgrade handler, in dev only (hot reload) */
  next?: UpgradeHandler;
  log(line: string): void;
}

function reject(socket: Duplex, status: number, text: string): void {
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  }
  socket.destroy();
}

function isMode(m: string | null): m is TerminalMode {
  return (TERMINAL_MODES as readonly (string | null)[]).includes(m);
}

export function createUpgradeRouter(d: UpgradeRouterDeps): UpgradeHandler {
  return async (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://panel');
    } catch {
      reject(socket, 400, 'Bad Request');
      return;
    }
    const m = TERMINAL_PATH_RE.exec(url.pathname);
    if (m) {
      const mode = url.searchParams.get('mode') ?? 'watch';
      // a browser always sends Origin on a handshake; no other page may open a terminal, and a
      // handshake without one is refused too (docs/security.md "Other pages on this host")
      if (checkOrigin(req.headers, d.allowedOrigins)) return reject(socket, 403, 'Forbidden');
      if (!isMode(mode)) return reject(socket, 400, 'Bad Request');
      let user: SessionUser | null = null;
      try {
        user = await d.authenticate(req);
      } catch (e) {
        d.log(
          `upgrade ${url.pathname}: session check failed: ${(e as Error)?.message ?? String(e)}`,
        );
      }
      if (!user) return reject(socket, 401, 'Unauthorized');
      const who = user;
      d.wss.handleUpgrade(req, socket, head, (ws) =>
        d.onTerminal(ws, { agent: m[1]!, mode, user: who }),
      );
      return;
    }
    // dev only: Next's hot-reload socket (its path is Next's business); production destroys
    if (d.next) {
      await d.next(req, socket, head);
      return;
    }
    socket.destroy();
  };
}
