import { describe, expect, it } from 'vitest';
import {
  backoffMs,
  platformError,
  redact,
  requestJson,
  retryAfterMs,
  type HttpDeps,
  type JsonRequest,
} from './http.js';
import { ConnectorError } from './types.js';

const SECRET = '999:telegram-token';
const req: JsonRequest = {
  kind: 'telegram',
  what: 'sendMessage',
  method: 'POST',
  url: `https://api.telegram.org/bot${SECRET}/sendMessage`,
  body: { text: 'x' },
  secrets: [SECRET],
};

/** A fetch that answers from a script, one Response (or thrown error) per call. */
function scripted(answers: (Response | Error)[]): { fetch: typeof fetch; calls: RequestInit[] } {
  const calls: RequestInit[] = [];
  const fetchImpl = async (_url: string | URL | Request, init?: RequestInit): Promise<Response> => {
    calls.push(init ?? {});
    const a = answers.shift();
    if (!a) throw new Error('no more answers');
    if (a instanceof Error) throw a;
    return a;
  };
  return { fetch: fetchImpl as typeof fetch, calls };
}

function deps(f: typeof fetch, delays: number[], retries = 4): HttpDeps {
  return { fetch: f, retries, sleep: async (ms) => void delays.push(ms) };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers });

describe('backoffMs', () => {
  it('doubles from 500 ms and stops at 30 s', () => {
    expect([0, 1, 2, 3, 6, 7, 100].map(backoffMs)).toEqual([
      500, 1000, 2000, 4000, 30_000, 30_000, 30_000,
    ]);
  });
});

describe('retryAfterMs', () => {
  const h = (v?: string) => new Headers(v === undefined ? {} : { 'retry-after': v });
  it('reads Retry-After seconds or date, Matrix retry_after_ms, Telegram parameters.retry_after', () => {
    expect(retryAfterMs(h('3'), null)).toBe(3000);
    const now = Date.parse('2030-01-01T00:00:00Z');
    expect(retryAfterMs(h('Tue, 01 Jan 2030 00:00:05 GMT'), null, now)).toBe(5000);
    expect(retryAfterMs(h(), { errcode: 'M_LIMIT_EXCEEDED', retry_after_ms: 1234 })).toBe(1234);
    expect(retryAfterMs(h(), { ok: false, parameters: { retry_after: 7 } })).toBe(7000);
    expect(retryAfterMs(h('2'), { retry_after_ms: 9000 })).toBe(2000);
    expect(retryAfterMs(h(), { error: 'x' })).toBeNull();
  });
});

describe('platformError', () => {
  it("quotes the platform's own words", () => {
    expect(platformError({ errcode: 'M_FORBIDDEN', error: 'not in room' }, '')).toBe(
      'M_FORBIDDEN: not in room',
    );
    expect(platformError({ ok: false, description: 'Bad Request: chat not found' }, '')).toBe(
      'Bad Request: chat not found',
    );
    expect(platformError({ message: 'Unknown Webhook', code: 10015 }, '')).toBe('Unknown Webhook');
    expect(platformError(null, 'no_service\nmore')).toBe('no_service');
  });
  it('redacts every occurrence of a secret', () => {
    expect(redact(`a ${SECRET} b ${SECRET}`, [SECRET, ''])).toBe('a [redacted] b [redacted]');
  });
});

describe('requestJson', () => {
  it('returns the parsed body, and sends JSON with its content type', async () => {
    const s = scripted([json(200, { ok: true, result: 1 })]);
    const res = await requestJson(req, deps(s.fetch, []));
    expect(res.json).toEqual({ ok: true, result: 1 });
    expect(s.calls[0]!.body).toBe('{"text":"x"}');
    expect(s.calls[0]!.headers).toMatchObject({ 'content-type': 'application/json' });
  });

  it('does not sleep through a wait longer than the backoff cap: it throws it to the caller', async () => {
    const delays: number[] = [];
    const s = scripted([
      json(429, { ok: false, description: 'Too Many Requests', parameters: { retry_after: 120 } }),
    ]);
    const e = await requestJson(req, deps(s.fetch, delays)).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ConnectorError);
    expect(e).toMatchObject({ retryable: true, retryAfterMs: 120_000, status: 429, code: 'BUSY' });
    expect(delays).toEqual([]);
  });

  it('gives up after its retries with the last answer, retryable', async () => {
    const delays: number[] = [];
    const s = scripted(Array.from({ length: 3 }, () => json(502, { description: 'Bad Gateway' })));
    const e = await requestJson(req, deps(s.fetch, delays, 2)).catch((x: unknown) => x);
    expect(e).toMatchObject({ retryable: true, status: 502 });
    expect((e as Error).message).toBe(
      'connector telegram: sendMessage: api.telegram.org answered 502: Bad Gateway',
    );
    expect(delays).toEqual([500, 1000]);
  });

  it('keeps a secret out of an error raised before any answer', async () => {
    const s = scripted([new TypeError(`Failed to parse URL from ${req.url}`)]);
    const e = await requestJson(req, deps(s.fetch, [])).catch((x: unknown) => x);
    expect(e).toMatchObject({ retryable: false });
    expect((e as Error).message).not.toContain(SECRET);
    expect((e as Error).cause).toBeUndefined();
  });

  it('stops at once when the caller aborts during a backoff, without another attempt', async () => {
    const ac = new AbortController();
    const s = scripted([json(500, {}), json(200, {})]);
    const never = (): Promise<void> => new Promise(() => undefined);
    const p = requestJson(
      { ...req, signal: ac.signal },
      { fetch: s.fetch, retries: 4, sleep: never },
    );
    setTimeout(() => ac.abort(new Error('shutting down')), 10);
    await expect(p).rejects.toThrow('shutting down');
    expect(s.calls).toHaveLength(1);
  });
});
