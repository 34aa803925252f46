/**
 * The review API and server actions at the panel's door (docs/security.md "Other pages on this
 * host"): without a session nothing answers but 401; a write from another origin is refused
 * before it reaches review, even with the operator's cookie; a bad verdict names its field, and
 * the reviewer is the signed-in operator, never a field of the request. The review flow itself,
 * with a real repository and agents, is e2e/review.e2e.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiError } from '@/lib/web/types.js';
import { openSignedIn, type Browser } from './support/browser.js';
import { actionPage, callAction, serverActions } from './support/actions.js';
import { startPanel, type Panel } from './support/panel.js';

let panel: Panel;
let browser: Browser;
let cookie: string;

beforeAll(async () => {
  // no agents: nothing here needs a card to be worked
  panel = await startPanel({ up: false });
  ({ browser, cookie } = await openSignedIn(panel));
});

afterAll(async () => {
  await browser?.close();
  await panel?.stop();
});

const routes: { method: 'GET' | 'POST'; path: string; body?: unknown }[] = [
  { method: 'GET', path: '/api/v1/review' },
  { method: 'GET', path: '/api/v1/review/c1' },
  { method: 'POST', path: '/api/v1/review/c1', body: { action: 'approve' } },
  {
    method: 'POST',
    path: '/api/v1/review/c1',
    body: { action: 'request_changes', comment: 'rename it' },
  },
];

function post(body: unknown, headers: Record<string, string>): Promise<Response> {
  return fetch(`${panel.url}/api/v1/review/c1`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

describe('the review API', () => {
  it('refuses a client without a session: 401 and no data', async () => {
    for (const r of routes) {
      const variants: Record<string, string>[] = [
        {},
        { cookie: 'mosaic-fleet.session_token=forged.value' },
      ];
      for (const headers of variants) {
        const res = await fetch(panel.url + r.path, {
          method: r.method,
          // from the panel's own origin: what answers is the session check, not the origin check
          headers: { ...headers, 'content-type': 'application/json', origin: panel.url },
          body: r.body === undefined ? undefined : JSON.stringify(r.body),
        });
        expect(res.status, `${r.method} ${r.path}`).toBe(401);
        expect(await res.json()).toEqual({
          error: { code: 'UNAUTHENTICATED', message: expect.any(String) },
        });
      }
    }
  });

  it('refuses a verdict from another origin, even with the session', async () => {
    const foreign: Record<string, string>[] = [
      { cookie, origin: 'http://evil.example' },
      // another port of this host is the same site, and gets the cookie: still refused
      { cookie, origin: 'http://127.0.0.1:1' },
      // no Origin at all
      { cookie },
      // the right Origin, but the browser says the page was on another origin of this site
      { cookie, origin: panel.url, 'sec-fetch-site': 'same-site' },
    ];
    for (const headers of foreign) {
      for (const body of [{ action: 'approve' }, { action: 'request_changes', comment: 'no' }]) {
        const res = await post(body, headers);
        expect(res.status, JSON.stringify({ headers, body })).toBe(403);
        expect(((await res.json()) as ApiError).error.code).toBe('FORBIDDEN_ORIGIN');
      }
    }
  });

  it('names the field of a bad verdict and takes no reviewer from the request', async () => {
    const own = { cookie, origin: panel.url };
    for (const body of [
      { action: 'request_changes' },
      { action: 'request_changes', comment: '   ' },
      { action: 'request_changes', comment: 'bell \u0007 here' },
      { action: 'merge' },
      { action: 'approve', by: 'someone-else' },
      {},
    ]) {
      const res = await post(body, own);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(((await res.json()) as ApiError).error.code).toBe('USAGE');
    }
    const missing = await post({ action: 'request_changes' }, own);
    expect(((await missing.json()) as ApiError).error.message).toContain('comment');
    const badId = await fetch(`${panel.url}/api/v1/review/${encodeURIComponent('c 1')}`, {
      headers: { cookie },
    });
    expect(badId.status).toBe(400);
  });
});

describe('the review server actions', () => {
  it('refuse a client without a session and a page on another origin', async () => {
    const wanted = ['approveReviewAction', 'requestChangesAction'];
    const actions = serverActions(wanted);
    expect(actions.map(([, a]) => a.exportedName).sort()).toEqual(wanted);
    for (const [id, a] of actions) {
      // app/(panel)/backlog/page → /backlog
      const page = actionPage(a);
      const call = (headers: Record<string, string>) =>
        callAction(panel.url + page, id, [{ id: 'c1', comment: 'rename it' }], headers);
      const anonymous = await call({ origin: panel.url });
      expect(await anonymous.text(), a.exportedName).toContain('"code":"UNAUTHENTICATED"');
      const foreign = await call({ origin: 'http://127.0.0.1:1', cookie });
      expect(foreign.status, a.exportedName).toBe(403);
    }
  });
});
