/**
 * The pushed panel (docs/api.md "Events"): changes reach an open page through its one event
 * stream, with no polling request at all; a change made while the stream is cut arrives once it
 * is back; tabs of one browser share one stream, handed on when its tab closes; an inbox item
 * and an agent's state change reach the fleet page.
 *
 * PAUSE is on throughout: the supervisor dispatches nothing, so a card stays where a test put it
 * and worker0 only works the task a test sends it.
 */
import type { Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboxView } from '@/lib/attention/types.js';
import { BacklogPage } from './pages/backlog-page.js';
import { FleetPage } from './pages/fleet-page.js';
import { openSignedIn, type Browser } from './support/browser.js';
import { cuttableProxy } from './support/proxy.js';
import { startPanel, type Panel } from './support/panel.js';

let panel: Panel;
let browser: Browser;
let cookie: string;

/** Long enough for any polling timer the panel ever had (1–2 s) to fire a few times. */
const QUIET_MS = 6_000;
/** The supervisor raises items and reads states on its tick: wait generously, assert no timing. */
const REACH_MS = 30_000;

beforeAll(async () => {
  panel = await startPanel({
    agentEnv: {
      // asks permission before the task a test sends it: an inbox item, and state `waiting`
      worker0: { MOSAIC_STUB_ASK_PERMISSION: '1' },
      orchestrator: { MOSAIC_STUB_PLAN_QUEUE: '/dev/null' },
      enhancer: { MOSAIC_STUB_FILE_DIGEST: '0' },
    },
  });
  ({ browser, cookie } = await openSignedIn(panel));
  const res = await fetch(`${panel.url}/api/v1/pause`, {
    method: 'POST',
    headers: { cookie, origin: panel.url, 'content-type': 'application/json' },
    body: JSON.stringify({ paused: true, reason: 'e2e: push under test' }),
  });
  expect(res.status).toBe(200);
});

afterAll(async () => {
  await browser?.close();
  await panel?.stop();
});

/** Every request the page makes to the JSON API, the event stream apart. */
function apiRequests(page: Page): { list: string[]; streams: string[]; stop(): void } {
  const list: string[] = [];
  const streams: string[] = [];
  const on = (r: Request) => {
    const u = new URL(r.url());
    if (u.pathname === '/api/v1/events') streams.push(u.search);
    else if (u.pathname.startsWith('/api/')) list.push(`${r.method()} ${u.pathname}`);
  };
  page.on('request', on);
  return { list, streams, stop: () => page.off('request', on) };
}

async function live(page: Page): Promise<void> {
  await page.locator('[data-testid="live-indicator"][data-state="live"]').waitFor();
}

async function createCard(id: string, title: string): Promise<void> {
  const r = await panel.fleet(['backlog', 'create', '--id', id, '--title', title]);
  expect(r.code, r.stderr).toBe(0);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a pushed panel', () => {
  it('shows a card made through the socket API on the open board, and polls nothing', async () => {
    const page = browser.page;
    const board = new BacklogPage(page, panel.url);
    await board.goto();
    await live(page);
    // what the first connection reads again (the page may be older than the stream) settles
    await page.waitForLoadState('networkidle');
    await page.evaluate(() => ((window as unknown as { e2eMark: string }).e2eMark = 'same page'));

    const quiet = apiRequests(page);
    await sleep(QUIET_MS);
    quiet.stop();
    // no read of what the board shows; an inbox read would follow an inbox event, not a timer
    expect(quiet.list.filter((r) => r !== 'GET /api/v1/inbox')).toEqual([]);

    const seen = apiRequests(page);
    await createCard('pushed', 'Made through the socket');
    await board.waitInColumn('pushed', 'ready');
    seen.stop();
    // read because it changed: the board, nothing else
    expect(seen.list.length).toBeGreaterThan(0);
    expect(new Set(seen.list)).toEqual(new Set(['GET /api/v1/backlog']));
    expect(await page.evaluate(() => (window as unknown as { e2eMark?: string }).e2eMark)).toBe(
      'same page',
    );
  });

  it('a change made while the stream is cut arrives once it is back', async () => {
    // the page reaches the panel through a proxy that drops every connection on demand (its
    // origin is another port: it only reads, and the session cookie is the host's)
    const proxy = await cuttableProxy(panel.url);
    const page = await browser.context.newPage();
    try {
      const board = new BacklogPage(page, proxy.url);
      await board.goto();
      await live(page);
      // everything the page loads settles first: a script cut off halfway makes Next load the
      // page again, through a proxy that refuses it (an error page, not this test's subject)
      await page.waitForLoadState('networkidle');
      const reqs = apiRequests(page);
      const dropped = proxy.cut();
      await page
        .locator('[data-testid="live-indicator"][data-state="reconnecting"]')
        .waitFor()
        .catch(async (e: unknown) => {
          const state = await page.getByTestId('live-indicator').getAttribute('data-state');
          throw new Error(
            `the page did not see its stream cut (${dropped} connection(s) dropped; state ${state})`,
            { cause: e },
          );
        });
      await createCard('while-away', 'Made while the page was cut off');
      await sleep(1000);
      expect(await board.card('while-away').count()).toBe(0);
      proxy.restore();
      await live(page);
      await board.waitInColumn('while-away', 'ready');
      reqs.stop();
      // it came back asking for what it missed after the last id it saw
      expect(reqs.streams.at(-1)).toMatch(/^\?since=\d+$/);
    } finally {
      await page.close();
      await proxy.close();
    }
  });

  it('tabs of one browser share one stream, and another tab takes it over when its tab closes', async () => {
    // a browser of its own: its first tab, signed in, already holds the stream
    const other = await openSignedIn(panel);
    try {
      const first = other.browser.page;
      await live(first);
      const opened: { page: Page; search: string }[] = [];
      other.browser.context.on('request', (r) => {
        const u = new URL(r.url());
        if (u.pathname === '/api/v1/events')
          opened.push({ page: r.frame().page(), search: u.search });
      });
      const tabs = [await other.browser.context.newPage(), await other.browser.context.newPage()];
      for (const tab of tabs) {
        await new BacklogPage(tab, panel.url).goto();
        await live(tab);
      }
      // the new tabs follow the first one's stream: they open none
      expect(opened).toEqual([]);
      await createCard('shared-stream', 'Seen by every tab');
      for (const tab of tabs)
        await new BacklogPage(tab, panel.url).waitInColumn('shared-stream', 'ready');

      await first.close();
      await createCard('taken-over', 'Seen after the first tab closed');
      for (const tab of tabs)
        await new BacklogPage(tab, panel.url).waitInColumn('taken-over', 'ready');
      // one of the others opened it again, from the last event it was told of
      expect(opened).toHaveLength(1);
      expect(tabs).toContain(opened[0]!.page);
      expect(opened[0]!.search).toMatch(/^\?since=\d+$/);
      for (const tab of tabs) await live(tab);
    } finally {
      await other.browser.close();
    }
  });

  it('an inbox item and an agent state change reach the fleet page', async () => {
    const page = browser.page;
    const fleet = new FleetPage(page, panel.url);
    await fleet.goto();
    await live(page);
    const readiness = page.getByTestId('readiness-worker0');
    expect(await readiness.textContent()).toBe('available');
    const seen = apiRequests(page);

    const r = await panel.fleet(['agent', 'send', 'worker0', 'task p1 1']);
    expect(r.code, r.stderr).toBe(0);
    await page
      .locator('[data-testid="readiness-worker0"]', { hasText: 'waiting' })
      .waitFor({ timeout: REACH_MS });
    await page.getByTestId('nav-inbox-count').waitFor({ timeout: REACH_MS });
    seen.stop();
    expect(seen.list).toEqual(expect.arrayContaining(['GET /api/v1/fleet', 'GET /api/v1/inbox']));

    // say no: worker0 goes back to its prompt, and the page is told of that too
    const view = (await (
      await fetch(`${panel.url}/api/v1/inbox`, { headers: { cookie } })
    ).json()) as InboxView;
    const item = view.items.find((i) => i.agent === 'worker0' && i.reason === 'permission');
    expect(item).toBeDefined();
    const deny = await fetch(`${panel.url}/api/v1/inbox/${item!.id}/act`, {
      method: 'POST',
      headers: { cookie, origin: panel.url, 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'deny' }),
    });
    expect(deny.status).toBe(200);
    await page
      .locator('[data-testid="readiness-worker0"]', { hasText: 'available' })
      .waitFor({ timeout: REACH_MS });
  });
});
