/**
 * The pushed panel (docs/api.md "Events"), measured against the real server and Debian's
 * Chromium: a change → visible on an open page, p50/p95, each beside baselines from the same run:
 *  - a card created through the socket API → its tile on the open Kanban (baselines: the API
 *    call's own round trip; the card seen by this driver polling the panel's JSON API every 20 ms);
 *  - an agent's state change (a stub asked for permission) → its readiness on the open fleet
 *    page, and the inbox item → the navigation's count (baseline: the same change seen by this
 *    driver polling /api/v1/fleet and /api/v1/inbox every 20 ms).
 * Pushed and polled rounds alternate, never overlap: the polling would slow what it measures.
 * Times are taken in the page by a MutationObserver (Date.now(), the same clock as the driver's).
 */
import type { Page } from 'playwright-core';
import { FleetdClient } from '../lib/client/fleetd.js';
import type { InboxView } from '../lib/attention/types.js';
import type { BacklogSnapshot, FleetSnapshot } from '../lib/web/types.js';
import { openSignedIn } from '../e2e/support/browser.js';
import { startPanel, waitFor, type Panel } from '../e2e/support/panel.js';
import { ms, percentile, ratio } from './stats.js';

const CARD_ROUNDS = 30;
/** each kind of round: pushed to the page, then polled by the driver */
const STATE_ROUNDS = 10;
const POLL_MS = 20;

/** A promise awaited later: its rejection must not end the process before `finally` runs. */
function later<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
}

function line(label: string, samples: number[], baselines: [string, number[]][]): void {
  const p = (s: number[], n: number) => ms(percentile(s, n));
  const base = baselines
    .map(
      ([name, b]) =>
        `${name} p50 ${p(b, 50)}, p95 ${p(b, 95)} (${ratio(percentile(samples, 50), percentile(b, 50))} at p50)`,
    )
    .join('; ');
  console.log(`${label}: p50 ${p(samples, 50)}, p95 ${p(samples, 95)}  [${base}]`);
}

/**
 * Resolves with Date.now() in the page when `selector` first matches (with `text` as its text,
 * when given), checked on every mutation of the page.
 */
function seenAt(page: Page, selector: string, text?: string): Promise<number> {
  // a string, not a function: tsx's helpers (`__name`) do not exist in the page
  return page.evaluate(`new Promise((resolve) => {
    const sel = ${JSON.stringify(selector)};
    const want = ${JSON.stringify(text ?? null)};
    const ok = () => {
      const el = document.querySelector(sel);
      return el !== null && (want === null || el.textContent === want);
    };
    if (ok()) return resolve(Date.now());
    const obs = new MutationObserver(() => {
      if (!ok()) return;
      obs.disconnect();
      resolve(Date.now());
    });
    obs.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  })`);
}

/** Date.now() when `check` on the panel's JSON answer first holds, asking every POLL_MS. */
async function polledAt<T>(
  panel: Panel,
  cookie: string,
  path: string,
  check: (body: T) => boolean,
): Promise<number> {
  for (;;) {
    const res = await fetch(panel.url + path, { headers: { cookie } });
    if (check((await res.json()) as T)) return Date.now();
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

async function cards(panel: Panel, page: Page, cookie: string): Promise<void> {
  await page.goto(`${panel.url}/backlog`);
  await page.locator('[data-testid="live-indicator"][data-state="live"]').waitFor();
  await page.waitForLoadState('networkidle');
  const client = new FleetdClient(panel.home);
  const pushed: number[] = [];
  const polled: number[] = [];
  const call: number[] = [];
  // pushed and polled in rounds of their own: the driver's polling would slow what it measures
  for (let i = 0; i < CARD_ROUNDS; i++) {
    const id = `bench-${i}`;
    const visible = later(seenAt(page, `[data-testid="card-${id}"]`));
    const t0 = Date.now();
    await client.backlog.create({ id, title: `bench card ${i}` });
    call.push(Date.now() - t0);
    pushed.push((await visible) - t0);
  }
  for (let i = 0; i < CARD_ROUNDS; i++) {
    const id = `bench-polled-${i}`;
    const t0 = Date.now();
    const poll = later(
      polledAt<BacklogSnapshot>(panel, cookie, '/api/v1/backlog', (b) =>
        b.cards.some((c) => c.id === id),
      ),
    );
    await client.backlog.create({ id, title: `bench card ${i}` });
    polled.push((await poll) - t0);
  }
  line('card created via the socket API → on the open Kanban', pushed, [
    ['API round trip', call],
    ['driver polling /api/v1/backlog', polled],
  ]);
}

async function typeLine(panel: Panel, agent: string, text: string): Promise<void> {
  await panel.tmux(['send-keys', '-t', `=${agent}:`, '-l', text]);
  await panel.tmux(['send-keys', '-t', `=${agent}:`, 'Enter']);
}

async function states(panel: Panel, page: Page, cookie: string): Promise<void> {
  await page.goto(`${panel.url}/`);
  await page.locator('[data-testid="live-indicator"][data-state="live"]').waitFor();
  const readiness = '[data-testid="readiness-worker0"]';
  const fleetRow = (f: FleetSnapshot) => f.agents.find((a) => a.name === 'worker0');
  const waitingItems = (v: InboxView) =>
    v.items.filter((x) => x.agent === 'worker0' && x.reason === 'permission').length;
  const pushedState: number[] = [];
  const polledState: number[] = [];
  const pushedInbox: number[] = [];
  const polledInbox: number[] = [];
  for (let i = 0; i < 2 * STATE_ROUNDS; i++) {
    const push = i % 2 === 0;
    await waitFor(
      'worker0 at its prompt with no item open',
      async () => {
        const f = (await (
          await fetch(`${panel.url}/api/v1/fleet`, { headers: { cookie } })
        ).json()) as FleetSnapshot;
        const v = (await (
          await fetch(`${panel.url}/api/v1/inbox`, { headers: { cookie } })
        ).json()) as InboxView;
        return fleetRow(f)?.readiness === 'available' && waitingItems(v) === 0;
      },
      30_000,
    );
    // other items may be open (PAUSE's own): count from what the page shows now
    const before = (
      (await (
        await fetch(`${panel.url}/api/v1/inbox`, { headers: { cookie } })
      ).json()) as InboxView
    ).unacked;
    const countSel = (n: number) =>
      n === 0 ? ':not(*)' : `[data-testid="nav-inbox-count"][data-count="${n}"]`;
    if (before > 0) await page.locator(countSel(before)).waitFor();
    else await page.locator('[data-testid="nav-inbox-count"]').waitFor({ state: 'detached' });
    await page.locator(readiness, { hasText: 'available' }).waitFor();
    const t0 = Date.now();
    if (push) {
      const state = later(seenAt(page, readiness, 'waiting'));
      const count = later(seenAt(page, countSel(before + 1)));
      await typeLine(panel, 'worker0', `task s${i} 1`);
      pushedState.push((await state) - t0);
      pushedInbox.push((await count) - t0);
    } else {
      const pollState = later(
        polledAt<FleetSnapshot>(
          panel,
          cookie,
          '/api/v1/fleet',
          (f) => fleetRow(f)?.readiness === 'waiting',
        ),
      );
      const pollInbox = later(
        polledAt<InboxView>(panel, cookie, '/api/v1/inbox', (v) => waitingItems(v) > 0),
      );
      await typeLine(panel, 'worker0', `task s${i} 1`);
      polledState.push((await pollState) - t0);
      polledInbox.push((await pollInbox) - t0);
    }
    // say no: the stub goes back to its prompt and the item clears
    await panel.tmux(['send-keys', '-t', '=worker0:', 'n']);
  }
  line('agent state change → its readiness on the open fleet page', pushedState, [
    ['driver polling /api/v1/fleet', polledState],
  ]);
  line('inbox item raised → the navigation count', pushedInbox, [
    ['driver polling /api/v1/inbox', polledInbox],
  ]);
}

export default async function main(): Promise<void> {
  const panel = await startPanel({
    agentEnv: {
      worker0: { MOSAIC_STUB_ASK_PERMISSION: '1' },
      orchestrator: { MOSAIC_STUB_PLAN_QUEUE: '/dev/null' },
      enhancer: { MOSAIC_STUB_FILE_DIGEST: '0' },
    },
  });
  const { browser, cookie } = await openSignedIn(panel);
  try {
    // PAUSE: the supervisor dispatches none of the bench's cards
    await fetch(`${panel.url}/api/v1/pause`, {
      method: 'POST',
      headers: { cookie, origin: panel.url, 'content-type': 'application/json' },
      body: JSON.stringify({ paused: true, reason: 'bench' }),
    });
    await cards(panel, browser.page, cookie);
    await states(panel, browser.page, cookie);
  } finally {
    await browser.close();
    await panel.stop();
  }
}
