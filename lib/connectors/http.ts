/**
 * The one HTTP call every connector makes (docs/connectors.md "Retries"): JSON in and out, a
 * timeout, and retries with exponential backoff on 429, 5xx and network errors, honouring what
 * the platform says about waiting. Errors never hold the request URL (Telegram's token is part
 * of its path) nor a header; platform text is redacted of the secrets the caller names.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { ConnectorError, type ConnectorKind } from './types.js';

/** The signal, when given, may end the wait early (the default sleep clears its timer). */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface HttpDeps {
  fetch: typeof fetch;
  sleep: Sleep;
  /** retries after the first attempt */
  retries: number;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
export const BACKOFF_BASE_MS = 500;
export const BACKOFF_MAX_MS = 30_000;
export const DEFAULT_RETRIES = 4;

/** The default sleep: timers/promises' delay rejects only when the signal aborts, which ends the wait. */
export const defaultHttpDeps = (over: Partial<HttpDeps> = {}): HttpDeps => ({
  fetch: over.fetch ?? ((input, init) => fetch(input, init)),
  sleep: over.sleep ?? ((ms, signal) => delay(ms, undefined, { signal }).catch(() => undefined)),
  retries: over.retries ?? DEFAULT_RETRIES,
});

/** Delay before retry `n` (0-based): 500 ms, 1 s, 2 s … capped at 30 s. No jitter: one client. */
export const backoffMs = (n: number): number =>
  Math.min(BACKOFF_BASE_MS * 2 ** Math.min(n, 30), BACKOFF_MAX_MS);

export interface JsonRequest {
  kind: ConnectorKind;
  /** what is asked, for error text: 'sendMessage', 'sync'… never the URL */
  what: string;
  method: 'GET' | 'POST' | 'PUT';
  url: string;
  headers?: Record<string, string>;
  /** a string is sent as is (the caller sets content-type); anything else as JSON */
  body?: unknown;
  timeoutMs?: number;
  /** aborting it stops at once, with the signal's reason, and never retries */
  signal?: AbortSignal;
  /** overrides deps.retries (health checks and long-polls pass 0) */
  retries?: number;
  /** values removed from any error text (tokens, webhook URLs) */
  secrets?: readonly string[];
}

export interface JsonResponse {
  status: number;
  headers: Headers;
  /** the body parsed as JSON, or null when empty or not JSON */
  json: unknown;
  text: string;
}

export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const s of secrets) if (s) out = out.split(s).join('[redacted]');
  return out;
}

export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Retry-After (seconds or an HTTP date), Matrix `retry_after_ms`, Telegram `parameters.retry_after`. */
export function retryAfterMs(headers: Headers, json: unknown, now = Date.now()): number | null {
  const header = headers.get('retry-after')?.trim();
  if (header) {
    if (/^\d+$/.test(header)) return Number(header) * 1000;
    const at = Date.parse(header);
    if (!Number.isNaN(at)) return Math.max(0, at - now);
  }
  if (isRecord(json)) {
    if (typeof json.retry_after_ms === 'number') return Math.max(0, json.retry_after_ms);
    const p = json.parameters;
    if (isRecord(p) && typeof p.retry_after === 'number') return Math.max(0, p.retry_after * 1000);
  }
  return null;
}

/** The platform's own words: Matrix errcode/error, Telegram description, Discord message, Slack text. */
export function platformError(json: unknown, text: string): string {
  if (isRecord(json)) {
    const parts = [json.errcode, json.error ?? json.description ?? json.message].filter(
      (p): p is string => typeof p === 'string' && p.length > 0,
    );
    if (parts.length) return parts.join(': ').slice(0, 300);
  }
  const line = text.trim().split('\n')[0] ?? '';
  return line.slice(0, 200);
}

function parseJson(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** Why a request got no answer, in words safe to show: no URL, no header. */
function networkReason(e: unknown): { reason: string; timedOut: boolean } | null {
  if (e instanceof Error && e.name === 'TimeoutError')
    return { reason: 'timed out', timedOut: true };
  // undici reports every connection failure as TypeError('fetch failed') with the socket
  // error as its cause; other TypeErrors (a bad header value) are bugs, not outages.
  if (e instanceof TypeError && e.message === 'fetch failed') {
    const c: unknown = e.cause;
    const code = isRecord(c) && typeof c.code === 'string' ? c.code : null;
    return { reason: `unreachable (${code ?? 'network error'})`, timedOut: false };
  }
  return null;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'an invalid URL';
  }
}

/** Wait `ms`, or less when the signal aborts first (then it resolves, it does not throw). */
export async function sleepUnlessAborted(
  sleep: Sleep,
  ms: number,
  signal?: AbortSignal,
): Promise<void> {
  if (!signal) return sleep(ms);
  if (signal.aborted) return;
  let onAbort = (): void => undefined;
  const aborted = new Promise<void>((resolve) => {
    onAbort = resolve;
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    await Promise.race([sleep(ms, signal), aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

type Attempt =
  { ok: true; res: JsonResponse } | { ok: false; error: ConnectorError; waitMs: number | null };

async function attempt(req: JsonRequest, deps: HttpDeps): Promise<Attempt> {
  const secrets = req.secrets ?? [];
  const timeout = AbortSignal.timeout(req.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
  const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
  let body: string | undefined;
  if (typeof req.body === 'string') body = req.body;
  else if (req.body !== undefined) {
    body = JSON.stringify(req.body);
    headers['content-type'] ??= 'application/json';
  }
  let response: Response;
  let text: string;
  try {
    response = await deps.fetch(req.url, { method: req.method, headers, body, signal });
    text = await response.text();
  } catch (e) {
    if (req.signal?.aborted) throw req.signal.reason;
    const net = networkReason(e);
    const reason = net?.reason ?? redact(e instanceof Error ? e.message : String(e), secrets);
    const error = new ConnectorError(req.kind, `${req.what}: ${hostOf(req.url)} ${reason}`, {
      retryable: net !== null,
      code: net?.timedOut ? 'TIMEOUT' : 'COMMAND_FAILED',
      // a cause from fetch names the socket, never the path; anything else may hold a secret
      cause: net ? e : undefined,
    });
    return { ok: false, error, waitMs: null };
  }
  const json = parseJson(text);
  const status = response.status;
  if (status < 400) return { ok: true, res: { status, headers: response.headers, json, text } };
  const retryable = status === 429 || status >= 500;
  const waitMs = retryable ? retryAfterMs(response.headers, json) : null;
  const said = redact(platformError(json, text), secrets);
  const error = new ConnectorError(
    req.kind,
    `${req.what}: ${hostOf(req.url)} answered ${status}${said ? `: ${said}` : ''}`,
    { status, retryable, retryAfterMs: waitMs, code: status === 429 ? 'BUSY' : 'COMMAND_FAILED' },
  );
  return { ok: false, error, waitMs };
}

/**
 * One request with retries. A wait the platform asks for is honoured; one longer than the
 * backoff cap is not slept through here but thrown (retryable, with retryAfterMs) so the caller
 * can schedule it. Resolves with any status below 400.
 */
export async function requestJson(req: JsonRequest, deps: HttpDeps): Promise<JsonResponse> {
  const retries = req.retries ?? deps.retries;
  for (let n = 0; ; n++) {
    const a = await attempt(req, deps);
    if (a.ok) return a.res;
    const { error, waitMs } = a;
    if (!error.retryable || n >= retries) throw error;
    if (waitMs !== null && waitMs > BACKOFF_MAX_MS) throw error;
    await sleepUnlessAborted(deps.sleep, waitMs ?? backoffMs(n), req.signal);
    if (req.signal?.aborted) throw req.signal.reason;
  }
}

/** The JSON body as a record, or a ConnectorError saying what was expected. */
export function expectRecord(
  kind: ConnectorKind,
  what: string,
  json: unknown,
): Record<string, unknown> {
  if (isRecord(json)) return json;
  throw new ConnectorError(kind, `${what} answered something that is not a JSON object`, {
    retryable: true,
  });
}

/** A failure in words for a health line: a ConnectorError's detail (already redacted). */
export function detailOf(e: unknown): string {
  if (e instanceof ConnectorError) return e.detail;
  return `failed unexpectedly (${e instanceof Error ? e.name : typeof e})`;
}
