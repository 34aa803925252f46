/**
 * Every page, server action, API route and terminal socket refuses an unauthenticated client,
 * and changes nothing. The routes and actions are enumerated from the app and the build, so a
 * new one is covered without editing this file.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { openBrowser, openSignedIn, type Browser } from './support/browser.js';
import { readRoster, ROOT, startPanel, type Panel } from './support/panel.js';
import { LoginPage } from './pages/login-page.js';

let panel: Panel;
let browser: Browser;
let cookie: string;

beforeAll(async () => {
  panel = await startPanel();
  ({ browser, cookie } = await openSignedIn(panel));
});

afterAll(async () => {
  await browser?.close();
  await panel?.stop();
});

function files(dir: string, name: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? files(p, name) : f === name ? [p] : [];
  });
}

/** app/(panel)/agents/[name]/page.tsx → /agents/worker0 */
function urlPath(file: string, base: string): string {
  const rel = path.relative(base, path.dirname(file)).split(path.sep);
  const parts = rel
    .filter((s) => s && !/^\(.*\)$/.test(s))
    .map((s) => (s === '[name]' ? 'worker0' : s === '[id]' ? 'some-card' : s));
  return `/${parts.join('/')}`;
}

const appDir = path.join(ROOT, 'app');
const pages = files(path.join(appDir, '(panel)'), 'page.tsx').map((f) => urlPath(f, appDir));
const apiRoutes = files(path.join(appDir, 'api', 'v1'), 'route.ts').flatMap((f) => {
  const methods = [
    ...readFileSync(f, 'utf8').matchAll(/export (?:async )?function (GET|POST|PATCH|DELETE)\b/g),
  ].map((m) => m[1]!);
  return methods.map((method) => ({ method, path: urlPath(f, appDir) }));
});

describe('an unauthenticated client', () => {
  it('is sent to /login by every page', async () => {
    expect(pages).toEqual(expect.arrayContaining(['/', '/agents/worker0', '/roster', '/backlog']));
    for (const p of pages) {
      const res = await fetch(panel.url + p, { redirect: 'manual' });
      expect(res.status, p).toBe(307);
      expect(res.headers.get('location'), p).toMatch(/^\/login\?next=/);
      // the redirect carries no fleet data (the socket name, a runtime, a prompt)
      const body = await res.text();
      for (const leak of [panel.socket, 'stub>', 'fleet-row', 'roster.yaml'])
        expect(body, p).not.toContain(leak);
    }
  });

  it('gets 401 and no data from every API route', async () => {
    expect(apiRoutes.length).toBeGreaterThanOrEqual(10);
    for (const r of apiRoutes) {
      const variants: Record<string, string>[] = [
        {},
        { cookie: 'mosaic-fleet.session_token=forged.value' },
      ];
      for (const headers of variants) {
        const res = await fetch(panel.url + r.path, {
          method: r.method,
          // from the panel's own origin: what answers is the session check, not the origin check
          headers: { ...headers, 'content-type': 'application/json', origin: panel.url },
          body:
            r.method === 'GET'
              ? undefined
              : JSON.stringify({ paused: true, title: 'x', to: 'done', depends_on: 'a' }),
        });
        expect(res.status, `${r.method} ${r.path}`).toBe(401);
        expect(await res.json()).toEqual({
          error: { code: 'UNAUTHENTICATED', message: expect.any(String) },
        });
      }
    }
    // the same request with the session works: the 401s above are the session check, not a broken route
    const ok = await fetch(`${panel.url}/api/v1/fleet`, { headers: { cookie } });
    expect(ok.status).toBe(200);
  });

  it('gets 401 and no data from the event stream', async () => {
    // served by fleetd before Next (server/web/events.ts), so not among the route files above
    const variants: Record<string, string>[] = [
      {},
      { cookie: 'mosaic-fleet.session_token=forged.value' },
    ];
    for (const headers of variants) {
      const res = await fetch(`${panel.url}/api/v1/events`, {
        headers: { ...headers, origin: panel.url },
      });
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toBe('application/json');
      expect(await res.json()).toEqual({
        error: { code: 'UNAUTHENTICATED', message: expect.any(String) },
      });
    }
    // the same request with the session opens the stream: the 401s are the session check
    const abort = new AbortController();
    const ok = await fetch(`${panel.url}/api/v1/events`, {
      headers: { cookie, origin: panel.url },
      signal: abort.signal,
    });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toMatch(/^text\/event-stream/);
    abort.abort();
  });

  it('gets a refusal from every server action and nothing changes', async () => {
    const manifest = JSON.parse(
      readFileSync(path.join(ROOT, '.next', 'server', 'server-reference-manifest.json'), 'utf8'),
    ) as {
      node: Record<string, { workers: Record<string, unknown>; exportedName: string }>;
    };
    const actions = Object.entries(manifest.node);
    expect(actions.map(([, a]) => a.exportedName)).toEqual(
      expect.arrayContaining([
        'moveCardAction',
        'saveAgentAction',
        'setPauseAction',
        'restartAgentAction',
        'terminateAgentAction',
      ]),
    );
    const rosterBefore = readRoster(panel);
    const psBefore = JSON.parse((await panel.fleet(['ps', '--json'])).stdout) as {
      agents: { epoch: number }[];
    };
    for (const [id, a] of actions) {
      const worker = Object.keys(a.workers)[0]!;
      const page = urlPath(path.join(ROOT, worker), appDir).replace(/\/page$/, '') || '/';
      const res = await fetch(panel.url + page, {
        method: 'POST',
        headers: {
          'next-action': id,
          origin: panel.url,
          accept: 'text/x-component',
          'content-type': 'text/plain;charset=UTF-8',
        },
        body: JSON.stringify([
          {
            name: 'worker0',
            hash: '0'.repeat(64),
            paused: true,
            reason: 'x',
            id: 'c',
            to: 'done',
            token: 'x',
          },
        ]),
      });
      const text = await res.text();
      expect(text, a.exportedName).toMatch(/"code":"(UNAUTHENTICATED|FORBIDDEN)"/);
    }
    expect(readRoster(panel)).toBe(rosterBefore);
    const psAfter = JSON.parse((await panel.fleet(['ps', '--json'])).stdout) as {
      agents: { epoch: number }[];
    };
    expect(psAfter.agents.map((r) => r.epoch)).toEqual(psBefore.agents.map((r) => r.epoch));
    const pause = await fetch(`${panel.url}/api/v1/pause`, { headers: { cookie } });
    expect(((await pause.json()) as { paused: boolean }).paused).toBe(false);
  });

  it('is refused a terminal socket before any upgrade', async () => {
    const attempt = (mode: string, headers: Record<string, string>) =>
      new Promise<number | 'open'>((resolve) => {
        const ws = new WebSocket(
          `${panel.url.replace('http', 'ws')}/ws/terminal/worker0?mode=${mode}`,
          { headers },
        );
        ws.on('unexpected-response', (_req, res) => {
          resolve(res.statusCode ?? 0);
          ws.terminate();
        });
        ws.on('open', () => {
          resolve('open');
          ws.close();
        });
        ws.on('error', () => undefined);
      });
    const own = { origin: panel.url };
    expect(await attempt('watch', own)).toBe(401);
    expect(await attempt('takeover', own)).toBe(401);
    expect(
      await attempt('watch', { ...own, cookie: 'mosaic-fleet.session_token=forged.value' }),
    ).toBe(401);
    // no Origin at all (not a browser of the panel's): refused even with the session
    expect(await attempt('watch', { cookie })).toBe(403);
    // a page on another site cannot use the operator's cookie
    expect(await attempt('takeover', { cookie, origin: 'http://evil.example' })).toBe(403);
    // and with the session, from the panel's own origin, the socket opens
    expect(await attempt('watch', { cookie, origin: panel.url })).toBe('open');
  });

  it('cannot create an account through better-auth sign-up', async () => {
    const res = await fetch(`${panel.url}/api/auth/sign-up/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: panel.url },
      body: JSON.stringify({ email: 'intruder@example.com', password: 'intruder-pw-1', name: 'x' }),
    });
    expect(res.status).toBe(404);
    const login = await fetch(`${panel.url}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: panel.url },
      body: JSON.stringify({ email: 'intruder@example.com', password: 'intruder-pw-1' }),
    });
    expect(login.status).toBe(401);
  });
});

describe('binding', () => {
  it('refuses a non-loopback address while no operator account exists', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'fleet-e2e-bind-'));
    const env: NodeJS.ProcessEnv = { ...process.env, FLEET_HOME: root, FLEET_WEB_DIR: ROOT };
    delete env.TMUX;
    delete env.DATABASE_URL;
    const cli = path.join(ROOT, 'dist', 'fleet.cjs');
    try {
      const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
        execFile(
          process.execPath,
          [cli, 'serve', '--no-supervise', '--web-host', '0.0.0.0', '--web-port', '0'],
          { env, timeout: 60_000 },
          (err, _out, stderr) =>
            resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stderr }),
        );
      });
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain('refusing to serve the web panel on 0.0.0.0');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('signing in', () => {
  it('refuses a wrong password with a message', async () => {
    const b = await openBrowser();
    try {
      const login = new LoginPage(b.page, panel.url);
      await b.page.goto(`${panel.url}/login`);
      await b.page.getByTestId('login-email').fill(panel.email);
      await b.page.getByTestId('login-password').fill('wrong-password');
      await b.page.getByTestId('login-submit').click();
      await login.error().waitFor();
      expect(b.page.url()).toContain('/login');
    } finally {
      await b.close();
    }
  });
});
