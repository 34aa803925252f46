import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FleetError } from '../lib/errors.js';
import { httpStatusFor, Router } from './router.js';

function call(
  socketPath: string,
  method: string,
  url: string,
  body?: string,
): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath, method, path: url, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c: string) => (text += c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as unknown }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('Router', () => {
  let dir: string;
  let socket: string;
  let server: http.Server;
  const seen: unknown[] = [];
  const crashes: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'fleet-router-'));
    socket = path.join(dir, 'api.sock');
    const router = new Router();
    router.onError = (_e, where) => crashes.push(where);
    router
      .post('/v1/echo', z.strictObject({ n: z.int() }), (i) => {
        seen.push(i);
        return { twice: i.n * 2 };
      })
      .post('/v1/refuse', z.strictObject({}), () => {
        throw new FleetError('CONFLICT', 'not now');
      })
      .post('/v1/crash', z.strictObject({}), () => {
        throw new Error('boom');
      })
      .get('/v1/query', (q) => ({ q }));
    const shutdown = new AbortController();
    server = http.createServer((req, res) => void router.handle(req, res, shutdown.signal));
    await new Promise<void>((r) => server.listen(socket, r));
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs a handler with the validated body', async () => {
    expect(await call(socket, 'POST', '/v1/echo', '{"n":21}')).toEqual({
      status: 200,
      body: { twice: 42 },
    });
    expect(seen).toEqual([{ n: 21 }]);
  });

  it('refuses an invalid body before the handler runs, naming the field', async () => {
    const r = await call(socket, 'POST', '/v1/echo', '{"n":"x"}');
    expect(r.status).toBe(400);
    expect(r.body).toEqual({
      error: {
        code: 'USAGE',
        message: expect.stringMatching(/^invalid request to POST \/v1\/echo: n: /),
      },
    });
    expect(seen).toHaveLength(1);
  });

  it('maps domain errors to their status and unexpected ones to 500', async () => {
    expect(await call(socket, 'POST', '/v1/refuse', '{}')).toEqual({
      status: 409,
      body: { error: { code: 'CONFLICT', message: 'not now' } },
    });
    const crash = await call(socket, 'POST', '/v1/crash', '{}');
    expect(crash).toEqual({
      status: 500,
      body: { error: { code: 'INTERNAL', message: 'POST /v1/crash failed: boom' } },
    });
    expect(crashes).toEqual(['POST /v1/crash']);
  });

  it('answers unknown routes 404 and wrong methods 405', async () => {
    expect((await call(socket, 'POST', '/v1/nope', '{}')).status).toBe(404);
    expect(await call(socket, 'GET', '/v1/echo')).toEqual({
      status: 405,
      body: { error: { code: 'METHOD_NOT_ALLOWED', message: 'GET /v1/echo: use POST' } },
    });
  });

  it('passes GET query parameters', async () => {
    expect(await call(socket, 'GET', '/v1/query?a=1&b=two')).toEqual({
      status: 200,
      body: { q: { a: '1', b: 'two' } },
    });
  });

  it('refuses unversioned and duplicate routes at registration', () => {
    const r = new Router().post('/v1/x', z.strictObject({}), () => ({}));
    expect(() => r.post('/v1/x', z.strictObject({}), () => ({}))).toThrow(/registered twice/);
    expect(() => r.get('/health', () => ({}))).toThrow(/versioned/);
  });

  it('maps every store error code to a status', () => {
    expect([
      httpStatusFor('USAGE'),
      httpStatusFor('NOT_FOUND'),
      httpStatusFor('CONFLICT'),
      httpStatusFor('STORE_LOCKED'),
    ]).toEqual([400, 404, 409, 423]);
    expect(httpStatusFor('COMMAND_FAILED')).toBe(500);
  });
});
