/**
 * The panel against an attacker on the same host (docs/security.md): a page served on another
 * local port — the same *site* as the panel, so the operator's SameSite=Lax cookie goes with
 * its requests — must not be able to change anything; sign-in cannot send the browser to
 * another origin, cannot be guessed at speed, and reads no unbounded body; the one-time setup
 * link makes one account however many requests race for it; a takeover reaches its one pane
 * and not tmux; an invalid roster shows its error on the pages.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, openSignedIn, type Browser } from './support/browser.js';
import { ROOT, startPanel, waitFor, type Panel } from './support/panel.js';
import { AgentPage } from './pages/agent-page.js';

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

/** A page on another port of 127.0.0.1, as an agent's dev server or a notebook would serve. */
async function servePage(html: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' }).end(html);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise((r) => {
        server.close(() => r());
        server.closeAllConnections(); // Chromium keeps idle connections open
      }),
  };
}

const pauseState = async () =>
  (
    (await (await fetch(`${panel.url}/api/v1/pause`, { headers: { cookie } })).json()) as {
      paused: boolean;
    }
  ).paused;

const cardTitles = async () =>
  (
    (await (await fetch(`${panel.url}/api/v1/backlog`, { headers: { cookie } })).json()) as {
      cards: { title: string }[];
    }
  ).cards.map((c) => c.title);

describe('a page on another local port, with the operator signed in', () => {
  it('cannot pause, create cards, restart agents or open a terminal', async () => {
    const base = panel.url;
    const epochs = async () =>
      (
        JSON.parse((await panel.fleet(['ps', '--json'])).stdout) as {
          agents: { name: string; epoch: number | null }[];
        }
      ).agents.map((a) => `${a.name}:${String(a.epoch)}`);
    const before = await epochs();
    const marker = path.join(mkdtempSync(path.join(os.tmpdir(), 'fleet-csrf-')), 'pwned');
    // Every way a page can send a credentialed request without a CORS preflight.
    const attack = await servePage(`<!doctype html><title>attack</title>
<form id="f" method="POST" action="${base}/api/v1/backlog" enctype="text/plain" target="sink">
  <input name='{"title":"pwned-form","acceptance":{"criteria":[],"check":"touch ${marker}"},"x":"' value='"}'>
</form>
<iframe name="sink"></iframe>
<script>
(async () => {
  const results = {};
  const post = async (name, url, body, type) => {
    try {
      const r = await fetch(url, { method: 'POST', credentials: 'include', mode: 'no-cors',
        headers: { 'content-type': type }, body });
      results[name] = r.type;
    } catch (e) { results[name] = 'threw'; }
  };
  await post('pause', '${base}/api/v1/pause', JSON.stringify({ paused: true, reason: 'pwned' }), 'text/plain');
  await post('card', '${base}/api/v1/backlog',
    JSON.stringify({ title: 'pwned-fetch', acceptance: { criteria: [], check: 'touch ${marker}' } }), 'text/plain');
  await post('restart', '${base}/api/v1/agents/worker0/restart', '{}', 'text/plain');
  await post('signout', '${base}/api/auth/sign-out', '{}', 'text/plain');
  results.beacon = navigator.sendBeacon('${base}/api/v1/backlog',
    new Blob([JSON.stringify({ title: 'pwned-beacon' })], { type: 'text/plain' }));
  results.ws = await new Promise((resolve) => {
    const ws = new WebSocket('${base.replace('http', 'ws')}/ws/terminal/worker0?mode=takeover');
    ws.onopen = () => { ws.send(JSON.stringify({ type: 'input', data: 'pwned\\r' })); resolve('open'); };
    ws.onerror = () => resolve('refused');
  });
  document.getElementById('f').submit();
  await new Promise((r) => setTimeout(r, 1500));
  document.title = 'done ' + JSON.stringify(results);
})();
</script>`);
    try {
      const page = await browser.context.newPage();
      await page.goto(attack.url);
      await page.waitForFunction(() => document.title.startsWith('done'), undefined, {
        timeout: 30_000,
      });
      const results = JSON.parse((await page.title()).slice(5)) as Record<string, unknown>;
      await page.close();
      expect(results.ws).toBe('refused');
      // give fleetd a moment: a forged request that got through would have landed by now
      await new Promise((r) => setTimeout(r, 1000));
      expect(await pauseState()).toBe(false);
      expect((await cardTitles()).filter((t) => t.startsWith('pwned'))).toEqual([]);
      expect(await epochs()).toEqual(before);
      expect(existsSync(marker)).toBe(false);
      expect(await panel.capture('worker0')).not.toContain('pwned');
      // the operator is still signed in: sign-out was refused too
      expect((await fetch(`${panel.url}/api/v1/fleet`, { headers: { cookie } })).status).toBe(200);
    } finally {
      await attack.close();
    }
  });

  it('cannot open the event stream, even with the session', async () => {
    // what a browser sends from another port of this host: Origin, and same-site
    const attempts: Record<string, string>[] = [
      { origin: 'http://127.0.0.1:8099' },
      { origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
    ];
    for (const headers of attempts) {
      const res = await fetch(`${panel.url}/api/v1/events`, { headers: { cookie, ...headers } });
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe(
        'FORBIDDEN_ORIGIN',
      );
    }
    // and a real page there: its EventSource never opens (the 403s above are what refuses it;
    // Playwright does not show the Origin and Sec-Fetch-Site that Chromium adds)
    const attack = await servePage(`<!doctype html><script>
  const es = new EventSource('${panel.url}/api/v1/events', { withCredentials: true });
  es.onopen = () => (document.title = 'done open');
  es.onerror = () => { es.close(); document.title = 'done refused'; };
</script>`);
    const page = await browser.context.newPage();
    try {
      await page.goto(attack.url);
      await page.waitForFunction(() => document.title.startsWith('done'));
      expect(await page.title()).toBe('done refused');
    } finally {
      await page.close();
      await attack.close();
    }
  });

  it('the same requests from the panel itself work (the guard refuses by origin, not by kind)', async () => {
    const page = await browser.context.newPage();
    try {
      await page.goto(`${panel.url}/backlog`);
      const status = await page.evaluate(async () => {
        const r = await fetch('/api/v1/backlog', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ title: 'made by the panel' }),
        });
        const t = await fetch('/api/v1/backlog', {
          method: 'POST',
          headers: { 'content-type': 'text/plain' },
          body: JSON.stringify({ title: 'not json' }),
        });
        return [r.status, t.status];
      });
      expect(status).toEqual([200, 415]);
      expect(await cardTitles()).toContain('made by the panel');
    } finally {
      await page.close();
    }
  });
});

describe('signing in', () => {
  it('never lands on another origin, whatever `next` says', async () => {
    const b = await openBrowser();
    try {
      for (const next of ['/%09/evil.example', '/%0A/evil.example', '/%5C/evil.example']) {
        await b.page.goto(`${panel.url}/login?next=${next}`);
        await b.page.getByTestId('login-email').fill(panel.email);
        await b.page.getByTestId('login-password').fill(panel.password);
        await b.page.getByTestId('login-submit').click();
        await b.page.waitForURL((u) => !u.pathname.startsWith('/login'));
        expect(new URL(b.page.url()).origin).toBe(panel.url);
        await b.context.clearCookies();
      }
    } finally {
      await b.close();
    }
  });

  it('is limited after repeated wrong passwords, per account', async () => {
    const email = 'limited@example.com';
    const made = await panel.fleet(
      ['user', 'create', '--email', email, '--password-stdin'],
      'right-password-1',
    );
    expect(made.code).toBe(0);
    const attempt = (password: string) =>
      fetch(`${panel.url}/api/auth/sign-in/email`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: panel.url },
        body: JSON.stringify({ email, password }),
      });
    const statuses: number[] = [];
    for (let i = 0; i < 57; i++) statuses.push((await attempt(`wrong-${i}`)).status);
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(10).every((s) => s === 429)).toBe(true);
    const limited = await attempt('right-password-1');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // the guesses were refused before the auth library saw them; the operator, on another
    // account from the same address, still signs in
    const operator = await fetch(`${panel.url}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: panel.url },
      body: JSON.stringify({ email: panel.email, password: panel.password }),
    });
    expect(operator.status).toBe(200);
  });

  it('reads no oversized body: 413 before the body is sent', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(`${panel.url}/api/auth/sign-in/email`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          origin: panel.url,
          'content-length': String(50 * 1024 * 1024),
        },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      // only the first kilobyte is ever written: the answer comes without the rest
      req.write('{"email":"' + 'a'.repeat(1024));
    });
    expect(status).toBe(413);
  });
});

describe('the one-time setup link', () => {
  it('makes exactly one account when six requests race for it', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'fleet-e2e-setup-'));
    const { spawn } = await import('node:child_process');
    const { freePort } = await import('../test/support/postgres.js');
    const port = await freePort();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      FLEET_HOME: root,
      FLEET_WEB_DIR: ROOT,
      FLEET_WEB_PORT: String(port),
    };
    delete env.TMUX;
    delete env.DATABASE_URL;
    const child = spawn(
      process.execPath,
      [path.join(ROOT, 'dist', 'fleet.cjs'), 'serve', '--no-supervise'],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let log = '';
    child.stdout.on('data', (d: Buffer) => (log += d.toString()));
    child.stderr.on('data', (d: Buffer) => (log += d.toString()));
    try {
      const link = await waitFor(
        'the setup link',
        () => /(http:\/\/\S+\/setup\?token=\S+)/.exec(log)?.[1] ?? null,
        120_000,
        () => log,
      );
      const token = new URL(link).searchParams.get('token')!;
      const origin = new URL(link).origin;
      const manifest = JSON.parse(
        readFileSync(path.join(ROOT, '.next', 'server', 'server-reference-manifest.json'), 'utf8'),
      ) as { node: Record<string, { exportedName: string }> };
      const id = Object.entries(manifest.node).find(
        ([, a]) => a.exportedName === 'createFirstUserAction',
      )![0];
      const results = await Promise.all(
        [0, 1, 2, 3, 4, 5].map(async (i) => {
          const res = await fetch(`${origin}/setup?token=${token}`, {
            method: 'POST',
            headers: {
              'next-action': id,
              origin,
              accept: 'text/x-component',
              'content-type': 'text/plain;charset=UTF-8',
            },
            body: JSON.stringify([
              { email: `racer${i}@example.com`, password: `racer-password-${i}`, token },
            ]),
          });
          return res.text();
        }),
      );
      expect(results.filter((t) => t.includes('"ok":true'))).toHaveLength(1);
      expect(results.filter((t) => t.includes('no longer valid'))).toHaveLength(5);
      const signIns = await Promise.all(
        [0, 1, 2, 3, 4, 5].map(
          async (i) =>
            (
              await fetch(`${origin}/api/auth/sign-in/email`, {
                method: 'POST',
                headers: { 'content-type': 'application/json', origin },
                body: JSON.stringify({
                  email: `racer${i}@example.com`,
                  password: `racer-password-${i}`,
                }),
              })
            ).status,
        ),
      );
      expect(signIns.filter((s) => s === 200)).toHaveLength(1);
    } finally {
      const gone = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      await gone;
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('an invalid roster', () => {
  it('shows its file:line:column on every page that needs it, not a blank 500', async () => {
    const original = readFileSync(panel.home.roster, 'utf8');
    writeFileSync(panel.home.roster, `${original}\n  - name: Bad Name\n    runtime: stub\n`);
    try {
      for (const p of ['/', '/roster', '/agents/worker0']) {
        const res = await fetch(panel.url + p, { headers: { cookie } });
        expect(res.status, p).toBe(200);
        const page = await browser.context.newPage();
        await page.goto(panel.url + p);
        const note = await page.getByTestId('roster-problem').textContent();
        expect(note, p).toMatch(/roster\.yaml:\d+:\d+:/);
        await page.close();
      }
    } finally {
      writeFileSync(panel.home.roster, original);
    }
  });
});

describe('a takeover from the browser', () => {
  it('reaches its one pane, never tmux itself', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fleet-takeover-'));
    const touched = path.join(dir, 'ran');
    const agent = new AgentPage(browser.page, panel.url);
    await agent.goto('worker1');
    await agent.takeOver();
    try {
      // the prefix, then tmux's command prompt: in a full tmux client this runs a shell command
      await browser.page.locator('[data-testid="terminal"]').click();
      await browser.page.keyboard.press('Control+b');
      await browser.page.keyboard.type(`:run-shell "touch ${touched}"`);
      await browser.page.keyboard.press('Enter');
      await browser.page.keyboard.press('Control+b');
      await browser.page.keyboard.type('c');
      await agent.type('still-the-agent');
      await waitFor(
        'typed text in the pane',
        async () => (await panel.capture('worker1')).includes('still-the-agent'),
        10_000,
      );
      expect(existsSync(touched)).toBe(false);
      const windows = await panel.tmux(['list-windows', '-t', '=worker1', '-F', '#{window_id}']);
      expect(windows.stdout.trim().split('\n')).toHaveLength(1);
    } finally {
      await agent.release();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
