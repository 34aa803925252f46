/**
 * The web panel as a fleetd component (docs/architecture.md "Processes": fleetd hosts the panel and its
 * PTY bridge). One HTTP server on host:port serves Next's handler; its one `upgrade` listener
 * routes terminal sockets (server/web/upgrade.ts). Pages reach fleetd's in-process services
 * (backlog, flags, auth on the same store) through lib/web/services.ts — nothing on the web
 * side opens the store.
 */
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  CLIENT_ADDRESS_HEADER,
  createFleetAuth,
  type FleetAuth,
  type SessionUser,
} from '@/lib/auth/auth.js';
import { loadAuthSecret } from '@/lib/auth/secret.js';
import { SetupToken } from '@/lib/auth/setup-token.js';
import { SignInThrottle } from '@/lib/auth/throttle.js';
import { serialiser } from '@/lib/serial.js';
import { countUsers, createUser, type CreateUserInput } from '@/lib/auth/users.js';
import { FleetError } from '@/lib/errors.js';
import type { FleetHome } from '@/lib/home.js';
import { createFleetOps, type FleetStateOptions } from '@/lib/ops/fleet-view.js';
import { setWebServices, type UserOps, type WebServices } from '@/lib/web/services.js';
import { CLOSE } from '@/lib/web/terminal-protocol.js';
import type { Component, Log } from '../maintenance.js';
import type { FleetServices } from '../services.js';
import type { BatcherOptions } from './batcher.js';
import { isLoopback, originOf, webDir, type WebOptions } from './options.js';
import { serveTerminal } from './terminal.js';
import { EVENTS_PATH, guardRequest, type GuardRefusal } from './request-guard.js';
import { eventStreams } from './events.js';
import { createUpgradeRouter, type UpgradeHandler } from './upgrade.js';

export interface WebComponentOptions extends WebOptions {
  home: FleetHome;
  /** fleetd's environment; only allowlisted keys reach tmux clients */
  env: NodeJS.ProcessEnv;
  log: Log;
  batching?: BatcherOptions;
  /** check systemd boot enablement for the fleet table */
  checkBoot?: boolean;
  /** the event stream's heartbeat (default 20 s; tests shorten it) */
  eventHeartbeatMs?: number;
}

export interface WebComponent extends Component {
  /** the panel's origin once started, e.g. http://127.0.0.1:7420 */
  url(): string | null;
  /** operator accounts, for the panel's setup link and `fleet user create` (server/routes/users.ts) */
  users: UserOps;
}

interface NextApp {
  prepare(): Promise<void>;
  getRequestHandler(): (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>;
  close(): Promise<void>;
}

interface LoadedNext {
  app: NextApp;
  /** dev only: hand an upgrade to Next's own (hot reload) handler */
  upgrade: UpgradeHandler;
}

function headersOf(req: http.IncomingMessage): Headers {
  const h = new Headers();
  for (const [k, v] of Object.entries(req.headers)) {
    if (Array.isArray(v)) for (const x of v) h.append(k, x);
    else if (v !== undefined) h.set(k, v);
  }
  return h;
}

async function sessionUser(auth: FleetAuth, headers: Headers): Promise<SessionUser | null> {
  const s = await auth.api.getSession({ headers });
  return s ? { id: s.user.id, email: s.user.email, name: s.user.name } : null;
}

async function listen(server: http.Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address();
  return addr && typeof addr === 'object' ? addr.port : port;
}

/**
 * Next's request handler attaches its own `upgrade` listener to the server of the first request
 * it sees (`httpServer`, else `req.socket.server`). Given a private emitter as `httpServer`, that
 * listener lands there instead: the HTTP server keeps exactly one upgrade listener (ours), and
 * in dev our router forwards what it does not own to Next's hot-reload handler by emitting.
 */
async function loadNext(o: WebComponentOptions, dir: string, port: number): Promise<LoadedNext> {
  // React and Next pick their production builds from NODE_ENV; fleetd itself never reads it.
  // Next's anonymous telemetry stays off: fleetd is an operator's daemon, not a dev tool.
  process.env.NODE_ENV ??= o.dev ? 'development' : 'production';
  process.env.NEXT_TELEMETRY_DISABLED ??= '1';
  const { default: createNext } = await import('next/dist/server/next.js');
  const nextUpgrades = new EventEmitter();
  const app = createNext({
    dev: o.dev,
    dir,
    hostname: o.host,
    port,
    httpServer: nextUpgrades as unknown as http.Server,
    ...(o.dev ? { webpack: true } : {}),
  }) as unknown as NextApp;
  await app.prepare();
  return {
    app,
    upgrade: (req, socket, head) => void nextUpgrades.emit('upgrade', req, socket, head),
  };
}

/** Next dev's file watchers can hold close() open; fleetd's shutdown must not wait on them. */
function closeWithin(p: Promise<unknown>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    const done = () => {
      clearTimeout(t);
      resolve();
    };
    p.then(done, done);
  });
}

/**
 * Build the component. Built even when the panel is turned off: its user operations serve
 * `fleet user create` through the socket API (server/routes/users.ts).
 */
export function webComponent(o: WebComponentOptions, services: FleetServices): WebComponent {
  const db = services.store.db;
  const setup = new SetupToken();
  let origin = originOf(o.host, o.port);
  const trusted = () => [
    ...new Set([
      origin,
      originOf('localhost', Number(new URL(origin).port)),
      ...(o.publicUrl ? [new URL(o.publicUrl).origin] : []),
    ]),
  ];
  let auth: FleetAuth | undefined;
  const authNow = () =>
    (auth ??= createFleetAuth({
      db,
      secret: loadAuthSecret(o.home, o.env),
      baseURL: o.publicUrl ?? origin,
      trustedOrigins: trusted(),
      secureCookies: o.publicUrl?.startsWith('https:') ?? false,
    }));
  const signIn = new SignInThrottle();
  // Accounts are made one at a time: the duplicate and first-account checks read, then write.
  const serial = serialiser();
  const create = async (input: CreateUserInput) => {
    const u = await createUser(db, authNow(), input);
    setup.revoke();
    o.log(`web: operator account ${u.email} created`);
    return u;
  };
  const users = {
    count: () => countUsers(db),
    create: (input: CreateUserInput) => serial(() => create(input)),
    createFirst: (input: CreateUserInput) =>
      serial(async () => {
        if ((await countUsers(db)) > 0) {
          throw new FleetError('FORBIDDEN', 'an operator account exists already; sign in instead');
        }
        return create(input);
      }),
  };

  let server: http.Server | undefined;
  let wss: WebSocketServer | undefined;
  let app: NextApp | undefined;
  let started: string | null = null;
  const sockets = new Set<() => void>();
  const upgraded = new Set<Duplex>();
  const streams = eventStreams({
    hub: services.changes,
    authenticate: (req) => sessionUser(authNow(), headersOf(req)),
    heartbeatMs: o.eventHeartbeatMs,
    log: o.log,
  });

  return {
    name: 'web',
    users,
    url: () => started,
    async start() {
      if (!o.enabled) return;
      if (!isLoopback(o.host) && (await users.count()) === 0) {
        throw new FleetError(
          'USAGE',
          `refusing to serve the web panel on ${o.host}: it is reachable from other hosts and no operator account exists yet. ` +
            'Start it on 127.0.0.1 first, create an account (fleet user create --email … or the setup link), then bind it wider.',
        );
      }
      const dir = o.dir || webDir(o.env);
      if (!o.dev && !existsSync(path.join(dir, '.next', 'BUILD_ID'))) {
        o.log(
          `web: panel not built (no ${path.join(dir, '.next')}); run \`npm run build:web\` — serving the API only`,
        );
        return;
      }
      let allowedOrigins: ReadonlySet<string> = new Set(trusted());
      // Bind first: a busy port is found before Next is loaded, and costs fleetd nothing else.
      const ready: {
        handler?: (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>;
      } = {};
      const srv = http.createServer((req, res) => {
        const refused = guardRequest(req, allowedOrigins);
        if (refused) {
          refuse(res, refused);
          return;
        }
        stampClientAddress(req);
        if (isEventStream(req.url)) {
          streams.serve(req, res).catch((e: unknown) => {
            o.log(`web: event stream: ${(e as Error)?.stack ?? String(e)}`);
            if (!res.headersSent) res.writeHead(500).end();
            else res.end();
          });
          return;
        }
        const handler = ready.handler;
        if (!handler) {
          res
            .writeHead(503, { 'content-type': 'text/plain', 'retry-after': '1' })
            .end('starting\n');
          return;
        }
        handler(req, res).catch((e: unknown) => {
          o.log(`web: ${req.method} ${req.url}: ${(e as Error)?.stack ?? String(e)}`);
          if (!res.headersSent) res.writeHead(500).end();
        });
      });
      let port: number;
      try {
        port = await listen(srv, o.port, o.host);
      } catch (e) {
        o.log(
          `web: panel not started: cannot listen on ${o.host}:${o.port} (${(e as Error).message}); set --web-port or FLEET_WEB_PORT`,
        );
        return;
      }
      server = srv;
      origin = originOf(o.host, port);
      allowedOrigins = new Set(trusted());
      const fleetOpts: FleetStateOptions = {
        home: o.home,
        env: o.env,
        host: services.identity.host,
        pause: services.pause,
        log: o.log,
        checkBoot: o.checkBoot,
        register: services.register,
        relay: services.relay,
        drain: services.drain,
        agentEvents: services.agentEvents,
        lastChange: () => services.changes.last,
      };
      const web: WebServices = {
        home: o.home,
        identity: services.identity,
        auth: authNow(),
        backlog: services.backlog,
        fleet: createFleetOps(fleetOpts),
        pause: fleetOpts.pause,
        drain: services.drain,
        inbox: services.inbox,
        review: services.review,
        worktrees: services.worktrees,
        timeline: services.timeline,
        users,
        setup,
        signIn,
      };
      setWebServices(web);
      const loaded = await loadNext(o, dir, port);
      app = loaded.app;
      ready.handler = app.getRequestHandler();
      const { spawn } = await import('node-pty');
      wss = new WebSocketServer({
        noServer: true,
        maxPayload: 256 * 1024,
        perMessageDeflate: false,
      });
      const a = web.auth;
      const route = createUpgradeRouter({
        wss,
        authenticate: (req) => sessionUser(a, headersOf(req)),
        allowedOrigins,
        next: o.dev ? loaded.upgrade : undefined,
        log: o.log,
        onTerminal: (ws: WebSocket, t) => {
          void serveTerminal(
            ws,
            { agent: t.agent, mode: t.mode, user: t.user.email },
            {
              fleet: fleetOpts,
              spawnPty: (file, args, po) => spawn(file, args, { name: 'xterm-256color', ...po }),
              batching: o.batching,
              log: o.log,
            },
          ).then((end) => {
            sockets.add(end);
            ws.once('close', () => sockets.delete(end));
          });
          keepAlive(ws);
        },
      });
      // every upgraded socket is ours to end on stop: server.close() would wait for them
      srv.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
        upgraded.add(socket);
        socket.once('close', () => upgraded.delete(socket));
        void route(req, socket, head);
      });
      started = o.publicUrl ?? origin;
      o.log(`web: panel on ${started} (${o.dev ? 'dev' : 'production'})`);
      if ((await users.count()) === 0) {
        o.log(
          `web: no operator account yet — open ${started}/setup?token=${setup.issue()} once, or run: fleet user create --email <you>`,
        );
      }
    },
    async stop() {
      streams.closeAll();
      for (const ws of wss?.clients ?? []) ws.close(CLOSE.serverStopping, 'fleetd stopping');
      for (const end of sockets) end();
      sockets.clear();
      wss?.close();
      for (const u of upgraded) u.destroy();
      upgraded.clear();
      if (server) {
        const s = server;
        const closed = new Promise<void>((r) => s.close(() => r()));
        s.closeAllConnections();
        await closed;
      }
      if (app) await closeWithin(app.close(), 3000);
      setWebServices(undefined);
      server = wss = app = undefined;
      started = null;
    },
  };
}

/** The event stream's path, with or without a query. */
function isEventStream(url: string | undefined): boolean {
  const u = url ?? '/';
  return u === EVENTS_PATH || u.startsWith(`${EVENTS_PATH}?`);
}

function refuse(res: http.ServerResponse, r: GuardRefusal): void {
  const body = JSON.stringify({ error: { code: r.code, message: r.message } });
  // the request's body is not read: close the connection rather than drain it
  res.shouldKeepAlive = false;
  res
    .writeHead(r.status, {
      'content-type': 'application/json',
      'cache-control': 'no-store',
      connection: 'close',
    })
    .end(body);
}

/**
 * The auth library limits sign-in attempts per client address, read from a header: this one is
 * set from the socket itself (any copy a client sent is replaced), so it cannot be forged.
 */
function stampClientAddress(req: http.IncomingMessage): void {
  req.headers[CLIENT_ADDRESS_HEADER] = req.socket.remoteAddress ?? 'unknown';
}

/** Ping idle sockets so a dropped network ends the PTY instead of leaving a tmux client behind. */
function keepAlive(ws: WebSocket): void {
  let alive = true;
  ws.on('pong', () => (alive = true));
  const t = setInterval(() => {
    if (!alive) {
      ws.terminate();
      return;
    }
    alive = false;
    ws.ping();
  }, 20_000);
  ws.once('close', () => clearInterval(t));
}
