/**
 * The panel's front door: pure rules applied by the HTTP server to every request (and, for the
 * origin part, to every WebSocket upgrade) before Next, the auth library or a route sees it.
 *
 * - A state-changing request (anything but GET, HEAD, OPTIONS) must prove it comes from the
 *   panel itself: its `Origin` is one of the panel's own origins. `SameSite` cookies cannot do
 *   this — every port on 127.0.0.1 is the same *site* (docs/security.md "Other pages on this
 *   host").
 * - The JSON API and the auth endpoints take `application/json` only, so an HTML form (which can
 *   only send form encodings or text/plain) can never reach them.
 * - A body is bounded before anything reads it: a request must state its length, and the length
 *   is capped (small before sign-in, larger for the panel's own writes).
 */
import type { IncomingHttpHeaders } from 'node:http';

const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Sign-in and session calls: an email and a password fit many times over. */
export const AUTH_BODY_LIMIT = 16 * 1024;
/** Everything else (a card body is at most 100,000 characters, a roster edit a few KB). */
export const BODY_LIMIT = 2 * 1024 * 1024;

export interface GuardRefusal {
  status: number;
  code: string;
  message: string;
}

export interface GuardRequest {
  method?: string | undefined;
  /** the request target as received (path and query) */
  url?: string | undefined;
  headers: IncomingHttpHeaders;
}

const header = (h: IncomingHttpHeaders, name: string): string | undefined => {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
};

/**
 * Is this request's (or upgrade's) Origin one of the panel's? A missing Origin is refused: every
 * browser sends it on a state-changing fetch, a form post and a WebSocket handshake, and a
 * non-browser client (curl, a script) can send the panel's origin itself (docs/api.md).
 */
export function checkOrigin(
  headers: IncomingHttpHeaders,
  allowed: ReadonlySet<string>,
): GuardRefusal | null {
  const origin = header(headers, 'origin');
  if (origin === undefined) {
    return {
      status: 403,
      code: 'FORBIDDEN_ORIGIN',
      message:
        'a state-changing request must carry an Origin header naming the panel (e.g. origin: http://127.0.0.1:7420)',
    };
  }
  if (!allowed.has(origin)) {
    return {
      status: 403,
      code: 'FORBIDDEN_ORIGIN',
      message: `requests from ${JSON.stringify(origin).slice(0, 200)} are refused: only the panel's own pages may change anything`,
    };
  }
  // A browser says where a request comes from; only the panel's own pages (or a user typing the
  // address) may change state. This backs up the Origin check for a proxy that rewrites Origin.
  const site = header(headers, 'sec-fetch-site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    return {
      status: 403,
      code: 'FORBIDDEN_ORIGIN',
      message: `a ${site} request may not change anything`,
    };
  }
  return null;
}

/** The panel's event stream (server/web/events.ts, docs/api.md "Events"). */
export const EVENTS_PATH = '/api/v1/events';

/**
 * The event stream only reads, but it is opened by the panel's own pages alone: a browser names
 * another page's origin in `Origin` (always sent on a cross-origin request) and says
 * `same-site` or `cross-site` in `Sec-Fetch-Site`; either refuses it. A same-origin EventSource
 * may send neither, and a script of the operator's (curl) sends neither: its session decides.
 */
export function checkStreamOrigin(
  headers: IncomingHttpHeaders,
  allowed: ReadonlySet<string>,
): GuardRefusal | null {
  const origin = header(headers, 'origin');
  if (origin !== undefined && !allowed.has(origin)) {
    return {
      status: 403,
      code: 'FORBIDDEN_ORIGIN',
      message: `the event stream is the panel's own: ${JSON.stringify(origin).slice(0, 200)} may not open it`,
    };
  }
  const site = header(headers, 'sec-fetch-site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    return {
      status: 403,
      code: 'FORBIDDEN_ORIGIN',
      message: `a ${site} page may not open the event stream`,
    };
  }
  return null;
}

function pathOf(url: string | undefined): string {
  const raw = url ?? '/';
  const q = raw.indexOf('?');
  return q === -1 ? raw : raw.slice(0, q);
}

const isApi = (p: string) => p === '/api' || p.startsWith('/api/');
const isAuth = (p: string) => p === '/api/auth' || p.startsWith('/api/auth/');

/** The media type of a Content-Type header, lower-cased, without parameters. */
export function mediaType(contentType: string | undefined): string | null {
  if (!contentType) return null;
  return contentType.split(';')[0]!.trim().toLowerCase() || null;
}

/** The body limit for a path: small where no session is needed yet. */
function bodyLimitFor(url: string | undefined): number {
  return isAuth(pathOf(url)) ? AUTH_BODY_LIMIT : BODY_LIMIT;
}

function checkBody(r: GuardRequest): GuardRefusal | null {
  const length = header(r.headers, 'content-length');
  const chunked = header(r.headers, 'transfer-encoding') !== undefined;
  if (chunked && length === undefined) {
    // Node would hand an unbounded stream to Next; browsers always send a length for fetch bodies
    return {
      status: 411,
      code: 'LENGTH_REQUIRED',
      message: 'a request body must state its Content-Length',
    };
  }
  if (length === undefined) return null;
  const n = Number(length);
  const limit = bodyLimitFor(r.url);
  if (!Number.isSafeInteger(n) || n < 0) {
    return { status: 400, code: 'USAGE', message: 'Content-Length is not a byte count' };
  }
  if (n > limit) {
    return {
      status: 413,
      code: 'TOO_LARGE',
      message: `request body is ${n} bytes; at most ${limit} are accepted here`,
    };
  }
  return null;
}

/**
 * The verdict on one HTTP request: null to let it through, or the refusal to answer with. The
 * body is judged by its declared length; Node's parser never reads past that length.
 */
export function guardRequest(r: GuardRequest, allowed: ReadonlySet<string>): GuardRefusal | null {
  const body = checkBody(r);
  if (body) return body;
  const method = (r.method ?? 'GET').toUpperCase();
  if (SAFE_METHODS.has(method))
    return pathOf(r.url) === EVENTS_PATH ? checkStreamOrigin(r.headers, allowed) : null;
  const origin = checkOrigin(r.headers, allowed);
  if (origin) return origin;
  const p = pathOf(r.url);
  if (isApi(p) && mediaType(header(r.headers, 'content-type')) !== 'application/json') {
    return {
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: `${method} ${p} takes application/json only`,
    };
  }
  return null;
}
