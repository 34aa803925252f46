/**
 * Human access to the store goes through fleetd, never by opening the PGlite dir
 * (docs/pitfalls.md "PGlite takes no lock").
 * For PGlite, fleetd starts @electric-sql/pglite-socket on demand. pglite-socket checks no
 * password, so it listens on a Unix socket in run/ (0700) with mode 0600, never on TCP where any
 * local user could connect (docs/security.md "Other local users"). psql reaches it with
 * `host=<run dir>`: libpq names the socket `.s.PGSQL.<port>`.
 *
 * The door closes by itself once no client has been connected for `idle_seconds` (a client
 * silent that long is disconnected first), and on `fleet db close`. pglite-socket serialises
 * every client onto one session (docs/pitfalls.md "pglite-socket shares one session"): an idle
 * open transaction in psql stalls fleetd itself, so it is for looking, then closing.
 */
import { chmodSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import type { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import type { Store } from '../lib/store/db.js';
import type { Log } from './maintenance.js';

export interface ExposedStore {
  kind: 'pglite' | 'postgres';
  /** a connection string for psql (no password is ever included) */
  url: string;
  /** PGlite: the Unix socket psql connects to */
  socket?: string;
  /** PGlite: the door closes after this long with no client */
  idle_seconds?: number;
  note: string;
}

export interface ExposeOptions {
  /** the number in the socket's name, `.s.PGSQL.<port>` (libpq's port); default 5432 */
  port?: number;
  idleSeconds?: number;
}

const DEFAULT_IDLE_SECONDS = 15 * 60;
const DEFAULT_PORT = 5432;

/** What psql is given: a socket directory as host, no password, no TCP. */
function socketUrl(runDir: string, port: number): string {
  return `postgresql:///postgres?host=${encodeURIComponent(runDir)}&port=${port}&user=postgres`;
}

function unlinkIfThere(file: string): void {
  try {
    unlinkSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}

interface Open {
  server: PGLiteSocketServer;
  socket: string;
  url: string;
  idleMs: number;
  lastActive: number;
  timer: NodeJS.Timeout;
}

export class StoreExposer {
  private open: Open | null = null;
  private starting: Promise<Open> | null = null;

  constructor(
    private readonly store: Store,
    private readonly opts: { runDir: string; log: Log; now?: () => number },
  ) {}

  private now(): number {
    return this.opts.now?.() ?? Date.now();
  }

  async expose(o: ExposeOptions = {}): Promise<ExposedStore> {
    if (this.store.kind === 'postgres') {
      return {
        kind: 'postgres',
        url: this.store.location,
        note: 'PostgreSQL: connect with your own credentials',
      };
    }
    const idleSeconds = o.idleSeconds ?? DEFAULT_IDLE_SECONDS;
    const open =
      this.open ??
      (await (this.starting ??= this.start(o.port ?? DEFAULT_PORT, idleSeconds).finally(
        () => (this.starting = null),
      )));
    // asking again counts as use, and may change the idle limit
    open.idleMs = idleSeconds * 1000;
    open.lastActive = this.now();
    return {
      kind: 'pglite',
      url: open.url,
      socket: open.socket,
      idle_seconds: idleSeconds,
      note:
        'shared with fleetd on one session: keep transactions short (an idle open transaction stalls the fleet), ' +
        `don't SET or LISTEN; it closes after ${idleSeconds}s with no client, or with \`fleet db close\``,
    };
  }

  private async start(port: number, idleSeconds: number): Promise<Open> {
    const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
    const socket = path.join(this.opts.runDir, `.s.PGSQL.${port}`);
    // fleetd holds the FLEET_HOME lock: a socket file left here by a killed fleetd is ours
    unlinkIfThere(socket);
    const idleMs = idleSeconds * 1000;
    const server = new PGLiteSocketServer({
      db: this.store.pglite!,
      path: socket,
      maxConnections: 4,
      idleTimeout: idleMs,
    });
    await server.start();
    // created under fleetd's umask 077 already; the explicit mode says what is meant
    chmodSync(socket, 0o600);
    const open: Open = {
      server,
      socket,
      url: socketUrl(this.opts.runDir, port),
      idleMs,
      lastActive: this.now(),
      timer: setInterval(() => this.checkIdle(), Math.min(10_000, Math.max(50, idleMs / 4))),
    };
    open.timer.unref();
    server.addEventListener('connection', () => (open.lastActive = this.now()));
    this.open = open;
    this.opts.log(`db: store open for psql on ${socket} (closes after ${idleSeconds}s idle)`);
    return open;
  }

  private checkIdle(): void {
    const open = this.open;
    if (!open) return;
    if (open.server.getStats().activeConnections > 0) open.lastActive = this.now();
    else if (this.now() - open.lastActive >= open.idleMs)
      void this.close(`no client for ${Math.round(open.idleMs / 1000)}s`).catch((e: unknown) =>
        this.opts.log(`db: closing the idle store socket: ${(e as Error)?.message ?? String(e)}`),
      );
  }

  /** Close the door; false when none was open. */
  async close(why = 'fleet db close'): Promise<boolean> {
    const open = this.open;
    if (!open) return false;
    this.open = null;
    clearInterval(open.timer);
    await open.server.stop();
    unlinkIfThere(open.socket);
    this.opts.log(`db: closed the store socket ${open.socket} (${why})`);
    return true;
  }
}
