/**
 * A small JSON router for fleetd's versioned API. Each route validates its body with zod before
 * the handler runs, so a malformed request gets a typed 400 and changes nothing; domain errors
 * map to HTTP statuses once, here. Components add their routes (supervisor, web panel) with
 * the same `post`/`get` calls.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import { FleetError, type ErrorCode } from '../lib/errors.js';
import { httpStatusFor } from '../lib/http-status.js';
import { describeIssues } from '../lib/zod-issues.js';

export interface RequestContext {
  /** aborted when the client goes away or fleetd shuts down (long polls end early) */
  signal: AbortSignal;
}

export type Handler<I> = (input: I, ctx: RequestContext) => Promise<object> | object;

interface Route {
  schema?: z.ZodType;
  handler: Handler<unknown>;
}

/** The error body every failed request gets: `{ error: { code, message } }`. */
export interface ErrorBody {
  error: { code: ErrorCode | 'INTERNAL' | 'METHOD_NOT_ALLOWED'; message: string };
}

export { httpStatusFor };

const MAX_BODY = 1024 * 1024;

/** The request body, read with plain events: an async iterator costs more than the body. */
function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        req.removeAllListeners('data');
        req.resume();
        reject(new FleetError('USAGE', `request body over ${MAX_BODY} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.once('error', reject);
  });
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new FleetError('USAGE', `request body is not JSON: ${(e as Error).message}`);
  }
}

export class Router {
  private readonly routes = new Map<string, Map<string, Route>>();
  onError: (e: unknown, where: string) => void = () => undefined;
  /**
   * The domain error a handler's failure means, when the handler could not say it (fleetd: the
   * store being away, docs/pitfalls.md "PostgreSQL goes away"); anything else is returned as is.
   */
  translate: (e: unknown) => unknown = (e) => e;

  private add(method: string, path: string, route: Route): this {
    if (!path.startsWith('/v')) throw new Error(`route ${path} must be versioned (/v1/…)`);
    const byMethod = this.routes.get(path) ?? new Map<string, Route>();
    if (byMethod.has(method)) throw new Error(`route ${method} ${path} registered twice`);
    byMethod.set(method, route);
    this.routes.set(path, byMethod);
    return this;
  }

  post<S extends z.ZodType>(path: string, schema: S, handler: Handler<z.output<S>>): this {
    return this.add('POST', path, { schema, handler: handler as Handler<unknown> });
  }

  /** GET handlers receive the query string as a plain object. */
  get(path: string, handler: Handler<Record<string, string>>): this {
    return this.add('GET', path, { handler: handler as Handler<unknown> });
  }

  list(): string[] {
    return [...this.routes].flatMap(([path, m]) =>
      [...m.keys()].map((method) => `${method} ${path}`),
    );
  }

  async handle(req: IncomingMessage, res: ServerResponse, shutdown: AbortSignal): Promise<void> {
    const [pathname = '/', query = ''] = (req.url ?? '/').split('?', 2);
    const where = `${req.method} ${pathname}`;
    try {
      const byMethod = this.routes.get(pathname);
      if (!byMethod) throw new FleetError('NOT_FOUND', `no route ${where}`);
      const route = byMethod.get(req.method ?? '');
      if (!route) {
        send(res, 405, {
          error: {
            code: 'METHOD_NOT_ALLOWED',
            message: `${where}: use ${[...byMethod.keys()].join(', ')}`,
          },
        });
        return;
      }
      const input = route.schema
        ? validate(route.schema, parseJson(await readBody(req)), where)
        : Object.fromEntries(new URLSearchParams(query));
      const result = await route.handler(input, requestContext(res, shutdown));
      send(res, 200, result);
    } catch (thrown) {
      const e = this.translate(thrown);
      // answered before the body was read (e.g. too large): this connection cannot be reused
      if (!req.complete) res.setHeader('connection', 'close');
      if (e instanceof FleetError) {
        send(res, httpStatusFor(e.code), { error: { code: e.code, message: e.message } });
        return;
      }
      this.onError(e, where);
      send(res, 500, {
        error: {
          code: 'INTERNAL',
          message: `${where} failed: ${(e as Error)?.message ?? String(e)}`,
        },
      });
    }
  }
}

/**
 * The handler's context. Its signal is made only when a handler asks for it (a long poll):
 * combining two signals on every request cost more than many a handler.
 */
function requestContext(res: ServerResponse, shutdown: AbortSignal): RequestContext {
  let signal: AbortSignal | undefined;
  return {
    get signal() {
      if (!signal) {
        const gone = new AbortController();
        if (res.destroyed && !res.writableFinished) gone.abort();
        else
          res.on('close', () => {
            if (!res.writableFinished) gone.abort();
          });
        signal = AbortSignal.any([gone.signal, shutdown]);
      }
      return signal;
    },
  };
}

function validate(schema: z.ZodType, body: unknown, where: string): unknown {
  const parsed = schema.safeParse(body);
  if (!parsed.success)
    throw new FleetError(
      'USAGE',
      `invalid request to ${where}: ${describeIssues(parsed.error.issues)}`,
    );
  return parsed.data;
}

function send(res: ServerResponse, status: number, body: object): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}
