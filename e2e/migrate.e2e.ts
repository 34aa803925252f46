/**
 * Moving up (docs/architecture.md "Moving up"), as the operator lives it: a fleet on the embedded
 * store with cards and an operator account; fleetd stopped; `fleet db migrate-to-postgres`;
 * fleetd started again with DATABASE_URL. The operator signs in with the same password and the
 * Kanban shows the same cards in the same columns; a browser signed in before the move is still
 * signed in (the sessions moved too).
 *
 * fleetd is stopped and started on one FLEET_HOME here, which the panel harness does not do, so
 * this file runs `fleet serve` itself (without the supervisor: no agents are needed) and stops
 * only what it started.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { fleetHome, type FleetHome } from '@/lib/home.js';
import { createDatabase, freePort } from '@/test/support/postgres.js';
import { BacklogPage } from './pages/backlog-page.js';
import { LoginPage } from './pages/login-page.js';
import { openBrowser, type Browser } from './support/browser.js';
import { ROOT, waitFor, type CliResult } from './support/panel.js';

const FLEET = path.join(ROOT, 'dist', 'fleet.cjs');
const EMAIL = 'operator@example.com';
const CARDS = ['design', 'build', 'docs'] as const;

interface Served {
  log(): string;
  stop(): Promise<void>;
}

let home: FleetHome;
let socket: string;
let env: NodeJS.ProcessEnv;
let url: string;
let password: string;
let db: Awaited<ReturnType<typeof createDatabase>>;
let served: Served | undefined;
const browsers: Browser[] = [];

function fleet(args: string[], input?: string, extra: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [FLEET, ...args], { env: { ...env, ...extra } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

/** `fleet serve` with the web panel on this file's port; resolves once the panel answers. */
async function serve(extra: NodeJS.ProcessEnv = {}): Promise<Served> {
  const child = spawn(process.execPath, [FLEET, 'serve', '--no-supervise'], {
    env: { ...env, ...extra },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  let exited = false;
  child.stdout.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr.on('data', (d: Buffer) => (log += d.toString()));
  child.once('exit', () => (exited = true));
  const stop = async () => {
    if (exited) return;
    const gone = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await gone;
    clearTimeout(t);
  };
  try {
    await waitFor(
      'fleetd with the web panel',
      () => {
        if (exited) throw new Error(`fleet serve exited:\n${log}`);
        return /web: panel on/.test(log) && /serving/.test(log);
      },
      120_000,
      () => log,
    );
  } catch (e) {
    await stop();
    throw e;
  }
  return { log: () => log, stop };
}

/** Which column of the board each card is in, and what it waits on. */
async function board(browser: Browser): Promise<Record<string, string>> {
  const page = new BacklogPage(browser.page, url);
  await page.goto();
  const out: Record<string, string> = {};
  for (const id of CARDS) {
    await page.card(id).waitFor();
    const column = browser.page.locator('[data-testid^="column-"]', {
      has: page.card(id),
    });
    const waits = browser.page.getByTestId(`card-waiting-${id}`);
    out[id] =
      `${await column.getAttribute('data-testid')}` +
      ((await waits.count()) ? ` waits: ${(await waits.textContent())?.trim()}` : '');
  }
  return out;
}

async function signedIn(next = '/backlog'): Promise<Browser> {
  const browser = await openBrowser();
  browsers.push(browser);
  await new LoginPage(browser.page, url).signIn(EMAIL, password, next);
  return browser;
}

beforeAll(async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'fleet-e2e-moveup-'));
  home = fleetHome(root);
  socket = `e2e-${process.pid}-${randomBytes(3).toString('hex')}`;
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  const { TMUX: _t, TMUX_PANE: _p, DATABASE_URL: _d, ...inherited } = process.env;
  env = { ...inherited, FLEET_HOME: root, FLEET_WEB_PORT: String(port), FLEET_WEB_DIR: ROOT };
  db = await createDatabase(inject('databaseUrl'), 'fleet_e2e_moveup');

  const init = await fleet(['init', '--profile', 'demo', '--socket', socket, '--write']);
  expect(init.code, init.stderr).toBe(0);
  served = await serve();
  password = `pw-${randomBytes(8).toString('hex')}`;
  const user = await fleet(['user', 'create', '--email', EMAIL, '--password-stdin'], password);
  expect(user.code, user.stderr).toBe(0);
  for (const args of [
    ['--id', 'design', '--title', 'Design the widget', '--priority', '5'],
    ['--id', 'build', '--title', 'Build the widget', '--depends-on', 'design'],
    ['--id', 'docs', '--title', 'Write the docs'],
  ]) {
    const r = await fleet(['backlog', 'create', ...args]);
    expect(r.code, r.stderr).toBe(0);
  }
  for (const args of [
    ['claim', '--id', 'design', '--owner', 'w1'],
    ['move', '--id', 'docs', '--to', 'done'],
  ]) {
    const r = await fleet(['backlog', ...args]);
    expect(r.code, r.stderr).toBe(0);
  }
});

afterAll(async () => {
  for (const b of browsers) await b.close().catch(() => undefined);
  await served?.stop();
  await new Promise<void>((resolve) =>
    spawn('tmux', ['-L', socket, 'kill-server'], { stdio: 'ignore' }).once('close', () =>
      resolve(),
    ),
  );
  await db?.drop();
  if (home) rmSync(home.root, { recursive: true, force: true });
});

describe('moving a fleet from the embedded store to PostgreSQL', () => {
  let before: Record<string, string>;
  let earlier: Browser;

  it('shows the board on the embedded store', async () => {
    earlier = await signedIn();
    before = await board(earlier);
    expect(before).toMatchObject({ design: 'column-claimed', docs: 'column-done' });
    expect(before.build).toMatch(/^column-ready waits: .*waiting on design/);
  });

  it('copies the store once fleetd is stopped', async () => {
    await served!.stop();
    served = undefined;
    const r = await fleet(['db', 'migrate-to-postgres', db.url]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^cards 3 -> 3$/m);
    expect(r.stdout).toMatch(/^auth_user 1 -> 1$/m);
    expect(r.stdout).toMatch(/^copied \d+ rows in \d+ tables from /m);
  });

  it('on PostgreSQL the operator signs in with the same password and sees the same board', async () => {
    served = await serve({ DATABASE_URL: db.url });
    expect(served.log()).toMatch(/store: postgres/);
    const browser = await signedIn();
    expect(await board(browser)).toEqual(before);
  });

  it('a browser signed in before the move is still signed in', async () => {
    expect(await board(earlier)).toEqual(before);
    expect(new URL(earlier.page.url()).pathname).toBe('/backlog');
  });
});
