import { describe, expect, it } from 'vitest';
import {
  AUTH_BODY_LIMIT,
  BODY_LIMIT,
  checkOrigin,
  guardRequest,
  mediaType,
  type GuardRequest,
} from './request-guard.js';

const PANEL = 'http://127.0.0.1:7420';
const allowed = new Set([PANEL, 'http://localhost:7420']);
const json = { 'content-type': 'application/json', origin: PANEL };
const r = (method: string, url: string, headers: GuardRequest['headers'] = {}): GuardRequest => ({
  method,
  url,
  headers,
});
const status = (g: GuardRequest) => guardRequest(g, allowed)?.status ?? 200;

describe('request guard', () => {
  it('lets reads through from anywhere (they change nothing)', () => {
    expect(status(r('GET', '/api/v1/fleet'))).toBe(200);
    expect(status(r('GET', '/', { origin: 'http://127.0.0.1:8099' }))).toBe(200);
    expect(status(r('HEAD', '/backlog'))).toBe(200);
  });

  it("accepts a state change from the panel's own origins", () => {
    expect(status(r('POST', '/api/v1/pause', json))).toBe(200);
    expect(status(r('POST', '/api/v1/pause', { ...json, origin: 'http://localhost:7420' }))).toBe(
      200,
    );
    expect(status(r('POST', '/api/v1/pause', { ...json, 'sec-fetch-site': 'same-origin' }))).toBe(
      200,
    );
    // a server action posts text/plain to a page path
    expect(status(r('POST', '/backlog', { origin: PANEL, 'content-type': 'text/plain' }))).toBe(
      200,
    );
  });

  it('refuses a state change from another port on the same host, another site, or no origin', () => {
    for (const origin of [
      'http://127.0.0.1:8099',
      'http://localhost:3000',
      'null',
      'https://x.dev',
    ]) {
      const v = guardRequest(r('POST', '/api/v1/pause', { ...json, origin }), allowed);
      expect(v).toMatchObject({ status: 403, code: 'FORBIDDEN_ORIGIN' });
    }
    expect(status(r('POST', '/api/v1/pause', { 'content-type': 'application/json' }))).toBe(403);
    expect(status(r('DELETE', '/api/v1/backlog/c1', { origin: 'http://127.0.0.1:1' }))).toBe(403);
    expect(status(r('POST', '/roster', { origin: 'http://127.0.0.1:8099' }))).toBe(403);
    expect(checkOrigin({ origin: PANEL, 'sec-fetch-site': 'same-site' }, allowed)).toMatchObject({
      status: 403,
    });
  });

  it("opens the event stream only to the panel's own pages", () => {
    expect(status(r('GET', '/api/v1/events'))).toBe(200);
    expect(status(r('GET', '/api/v1/events?since=5', { origin: PANEL }))).toBe(200);
    expect(status(r('GET', '/api/v1/events', { 'sec-fetch-site': 'same-origin' }))).toBe(200);
    for (const headers of [
      { origin: 'http://127.0.0.1:8099' },
      { origin: 'null' },
      { 'sec-fetch-site': 'same-site' },
      { 'sec-fetch-site': 'cross-site', origin: PANEL },
    ]) {
      expect(guardRequest(r('GET', '/api/v1/events', headers), allowed)).toMatchObject({
        status: 403,
        code: 'FORBIDDEN_ORIGIN',
      });
    }
    // the rule is the stream's: another read is let through as before
    expect(status(r('GET', '/api/v1/fleet', { 'sec-fetch-site': 'cross-site' }))).toBe(200);
  });

  it('takes application/json only on the API and the auth endpoints', () => {
    for (const ct of [
      undefined,
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
    ]) {
      const headers = ct ? { origin: PANEL, 'content-type': ct } : { origin: PANEL };
      expect(status(r('POST', '/api/v1/backlog', headers))).toBe(415);
      expect(status(r('POST', '/api/auth/sign-in/email', headers))).toBe(415);
    }
    expect(
      status(
        r('POST', '/api/auth/sign-in/email', {
          ...json,
          'content-type': 'Application/JSON; charset=utf-8',
        }),
      ),
    ).toBe(200);
    expect(mediaType('application/json;charset=UTF-8')).toBe('application/json');
  });

  it('bounds a body by its declared length before anything reads it', () => {
    const at = (url: string, n: number) =>
      status(r('POST', url, { ...json, 'content-length': String(n) }));
    expect(at('/api/auth/sign-in/email', AUTH_BODY_LIMIT)).toBe(200);
    expect(at('/api/auth/sign-in/email', AUTH_BODY_LIMIT + 1)).toBe(413);
    expect(at('/api/v1/backlog', BODY_LIMIT)).toBe(200);
    expect(at('/api/v1/backlog', BODY_LIMIT + 1)).toBe(413);
    // refused before sign-in too, whatever the method or origin
    expect(status(r('GET', '/login', { 'content-length': String(50 * 1024 * 1024) }))).toBe(413);
    expect(status(r('POST', '/api/v1/backlog', { ...json, 'transfer-encoding': 'chunked' }))).toBe(
      411,
    );
    expect(status(r('POST', '/api/v1/backlog', { ...json, 'content-length': 'x' }))).toBe(400);
  });
});
