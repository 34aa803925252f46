/**
 * JSON over HTTP on fleetd's Unix socket, with keep-alive so a worker's many calls reuse one
 * connection. Maps transport failures to FleetErrors: no fleetd → FLEETD_DOWN with how to start
 * it; an error body → the FleetError it names.
 */
import http from 'node:http';
import { FleetError, type ErrorCode } from '../errors.js';

const KNOWN: ReadonlySet<string> = new Set<ErrorCode>([
  'ROSTER_INVALID',
  'ROSTER_CONFLICT',
  'ROSTER_MISSING',
  'ROSTER_EXISTS',
  'FLOOR_VIOLATION',
  'AGENT_NOT_FOUND',
  'AGENT_EXISTS',
  'LIBRARY_INVALID',
  'NOT_FOUND',
  'USAGE',
  'COMMAND_FAILED',
  'STORE_LOCKED',
  'STORE_UNAVAILABLE',
  'FLEETD_DOWN',
  'CONFLICT',
  'BUSY',
  'TIMEOUT',
]);

/** An error answered by fleetd, with the HTTP status and the code as sent. */
export class FleetdError extends FleetError {
  readonly status: number;
  readonly wireCode: string;
  constructor(status: number, wireCode: string, message: string) {
    super(
      KNOWN.has(wireCode) ? (wireCode as ErrorCode) : status < 500 ? 'USAGE' : 'COMMAND_FAILED',
      message,
    );
    this.status = status;
    this.wireCode = wireCode;
  }
}

function fleetdDown(homeRoot: string, cause?: unknown): FleetError {
  return new FleetError(
    'FLEETD_DOWN',
    `fleetd is not running for ${homeRoot} — start it with \`fleet serve\` ` +
      '(or the systemd unit: systemctl --user start mosaic-fleetd)',
    { cause },
  );
}

export interface TransportOptions {
  socketPath: string;
  /** FLEET_HOME, named in the "not running" message */
  homeRoot: string;
  /** per-request limit; long polls add their own wait on top */
  timeoutMs?: number;
}

export class SocketTransport {
  // Idle sockets are dropped (10 s) before fleetd's keep-alive timeout (30 s) would close them
  // under a request in flight.
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 8, timeout: 10_000 });

  constructor(private readonly opts: TransportOptions) {}

  request<T>(method: 'GET' | 'POST', path: string, body?: unknown, extraTimeoutMs = 0): Promise<T> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const timeout = (this.opts.timeoutMs ?? 30_000) + extraTimeoutMs;
    return new Promise<T>((resolve, reject) => {
      // a Unix socket has no server name: without one given, the agent works it out from the
      // host, and its first IPv6 test compiles a large regex (docs/pitfalls.md "CLI start-up")
      const options: http.RequestOptions & { servername: string } = {
        socketPath: this.opts.socketPath,
        path,
        method,
        agent: this.agent,
        servername: '',
        headers: payload
          ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
          : {},
      };
      const req = http.request(options, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (e) => reject(this.lost(path, e)));
        res.on('end', () => {
          try {
            resolve(decode<T>(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'), path));
          } catch (e) {
            reject(e);
          }
        });
      });
      req.setTimeout(timeout, () =>
        req.destroy(
          new FleetError('TIMEOUT', `fleetd did not answer ${path} within ${timeout} ms`),
        ),
      );
      req.on('error', (e: NodeJS.ErrnoException) => {
        if (e instanceof FleetError) reject(e);
        else if (e.code === 'ENOENT' || e.code === 'ECONNREFUSED')
          reject(fleetdDown(this.opts.homeRoot, e));
        else reject(this.lost(path, e));
      });
      req.end(payload);
    });
  }

  private lost(path: string, cause: unknown): FleetError {
    return new FleetError(
      'FLEETD_DOWN',
      `lost the connection to fleetd (${this.opts.homeRoot}) during ${path}; the outcome is unknown`,
      { cause },
    );
  }

  close(): void {
    this.agent.destroy();
  }
}

function decode<T>(status: number, text: string, path: string): T {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new FleetError(
      'COMMAND_FAILED',
      `fleetd answered ${path} with status ${status} and no JSON`,
    );
  }
  if (status >= 200 && status < 300) return body as T;
  const err = (body as { error?: { code?: unknown; message?: unknown } }).error;
  throw new FleetdError(
    status,
    String(err?.code ?? 'INTERNAL'),
    String(err?.message ?? `status ${status}`),
  );
}
