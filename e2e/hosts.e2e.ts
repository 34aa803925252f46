/**
 * The fleet page's other hosts (docs/architecture.md "The register"): a single-host fleet shows
 * none; a host whose fleetd writes the register is listed with its agents, read-only; when it
 * stops writing it is marked unreachable and its agents stay, as last known.
 *
 * Another host is simulated by writing the register as its fleetd would, straight into the
 * store of the panel's fleetd. fleetd runs in a process of its own and PGlite may only be opened
 * by that process, so this panel runs on PostgreSQL, which the test shares.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openStore, type Store } from '@/lib/store/db.js';
import { RegisterStore } from '@/lib/store/register.js';
import type { PsRow } from '@/lib/fleet/ps.js';
import type { FleetSnapshot } from '@/lib/web/types.js';
import { FleetPage } from './pages/fleet-page.js';
import { LoginPage } from './pages/login-page.js';
import { cookieHeader, openBrowser, type Browser } from './support/browser.js';
import { startPanel, type Panel } from './support/panel.js';

const OTHER = 'other-host';

let panel: Panel;
let browser: Browser;
let store: Store;

/** The other host's fleetd: beating while `timer` runs, the last beat awaited on stop. */
let timer: ReturnType<typeof setInterval> | undefined;
let lastBeat: Promise<void> = Promise.resolve();

async function stopBeating(): Promise<void> {
  if (timer) clearInterval(timer);
  timer = undefined;
  await lastBeat;
}

beforeAll(async () => {
  panel = await startPanel({ store: 'postgres', postgresUrl: inject('databaseUrl') });
  store = await openStore({ url: panel.databaseUrl!, poolSize: 2 });
  browser = await openBrowser();
  await new LoginPage(browser.page, panel.url).signIn(panel.email, panel.password);
});

afterAll(async () => {
  await stopBeating();
  await store?.close();
  await browser?.close();
  await panel?.stop();
});

async function snapshot(): Promise<FleetSnapshot> {
  const res = await fetch(`${panel.url}/api/v1/fleet`, {
    headers: { cookie: await cookieHeader(browser.context, panel.url) },
  });
  expect(res.status).toBe(200);
  return (await res.json()) as FleetSnapshot;
}

describe('other hosts on the fleet page', () => {
  it('a single-host fleet shows no other hosts', async () => {
    const fleet = new FleetPage(browser.page, panel.url);
    await fleet.goto();
    expect((await snapshot()).other_hosts).toEqual([]);
    // the page has refreshed itself at least once since it loaded: still nothing
    await browser.page.waitForResponse((r) => r.url().endsWith('/api/v1/fleet'));
    expect(await browser.page.getByTestId('other-hosts').count()).toBe(0);
    expect(await browser.page.getByTestId('this-host-caption').count()).toBe(0);
  });

  it('lists another host with its agents, then marks it unreachable when it stops writing', async () => {
    const snap = await snapshot();
    const here = snap.agents.find((r) => r.name === 'worker0')!;
    const { last_line: _, ...base } = here;
    const row = (name: string, extra: Partial<PsRow> = {}): PsRow => ({
      ...base,
      name,
      host: OTHER,
      ...extra,
    });

    const reg = new RegisterStore(store.db, snap.tenant_id, OTHER);
    const beat = () =>
      reg.beat({ pid: 4242, version: '9.9.9-e2e', tick_ms: 1000, started_at: new Date() });
    await beat();
    await reg.publish([
      { row: row('remote0'), class: 'worker' },
      { row: row('remote1', { failed: 'restart policy exhausted' }), class: 'reviewer' },
    ]);
    timer = setInterval(() => {
      lastBeat = beat().catch(() => undefined);
    }, 500);

    const fleet = new FleetPage(browser.page, panel.url);
    await fleet.goto();
    const page = browser.page;
    await page
      .getByTestId(`host-heading-${OTHER}`)
      .filter({ hasText: `host ${OTHER}` })
      .waitFor();
    expect(await page.getByTestId(`host-fleetd-${OTHER}`).textContent()).toContain(
      'fleetd 4242 9.9.9-e2e',
    );
    expect(await page.getByTestId(`host-seen-${OTHER}`).textContent()).toMatch(/^seen \d+s ago$/);
    const r0 = page.getByTestId(`host-row-${OTHER}-remote0`);
    const r1 = page.getByTestId(`host-row-${OTHER}-remote1`);
    expect(await r0.textContent()).toContain('worker');
    expect(await r0.textContent()).toContain(here.runtime ?? '—');
    expect(await page.getByTestId(`host-readiness-${OTHER}-remote0`).textContent()).toBe(
      here.readiness,
    );
    expect(await r1.textContent()).toContain('reviewer');
    expect(await r1.textContent()).toContain('failed: restart policy exhausted');
    // read-only: no links or actions, the note says who manages them
    expect(await page.getByTestId(`host-table-${OTHER}`).locator('a, button').count()).toBe(0);
    expect(await page.getByTestId(`host-managed-${OTHER}`).textContent()).toBe(
      `managed by ${OTHER}'s fleetd`,
    );
    expect(await page.getByTestId(`host-unreachable-${OTHER}`).count()).toBe(0);
    // this host's table is as it was, now captioned
    expect(await page.getByTestId('this-host-caption').textContent()).toBe(
      `this host: ${snap.host}`,
    );
    expect(await fleet.agentNames()).toEqual(snap.agents.map((r) => r.name));

    await stopBeating();
    // the page refreshes itself: no reload
    await page
      .getByTestId(`host-unreachable-${OTHER}`)
      .filter({ hasText: 'unreachable — last known state' })
      .waitFor();
    expect(await r0.count()).toBe(1);
    expect(await r1.count()).toBe(1);
    expect(await page.getByTestId(`host-heading-${OTHER}`).textContent()).toBe(`host ${OTHER}`);
    const after = (await snapshot()).other_hosts.find((h) => h.host === OTHER)!;
    expect(after.reachable).toBe(false);
    expect(after.agents.map((a) => a.name)).toEqual(['remote0', 'remote1']);
  });
});
