/**
 * The fleet page's other hosts (docs/architecture.md "The register", "The relay"): a single-host
 * fleet shows none; a host whose fleetd writes the register is listed with its agents, each with
 * Restart and Terminate (done by that host's fleetd through the store) and, when that host
 * serves a panel, a link to watch it there; when it stops writing it is marked unreachable and
 * its agents stay, as last known.
 *
 * Another host is simulated by writing the register as its fleetd would, straight into the
 * store of the panel's fleetd, and by taking and answering its relayed commands as its fleetd
 * would. fleetd runs in a process of its own and PGlite may only be opened by that process, so
 * this panel runs on PostgreSQL, which the test shares.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openStore, type Store } from '@/lib/store/db.js';
import { RegisterStore } from '@/lib/store/register.js';
import { RelayStore } from '@/lib/store/relay.js';
import type { PsRow } from '@/lib/fleet/ps.js';
import type { FleetSnapshot } from '@/lib/web/types.js';
import { FleetPage } from './pages/fleet-page.js';
import { LoginPage } from './pages/login-page.js';
import { cookieHeader, openBrowser, type Browser } from './support/browser.js';
import { callAction, serverActions } from './support/actions.js';
import { startPanel, waitFor, type Panel } from './support/panel.js';

const OTHER = 'other-host';
const OTHER_PANEL = 'http://other-host.example:7777';

let panel: Panel;
let browser: Browser;
let store: Store;
let fleet: FleetPage;
/** this host's fleet as the panel first saw it */
let snap: FleetSnapshot;
/** the other host's register and relay, as its fleetd would hold them */
let reg: RegisterStore;
let relay: RelayStore;
/** what the other host's fleetd writes as its version: changed to see a beat reach the page */
let version = '9.9.9-e2e';

/** The other host's fleetd: beating while `timer` runs, the last beat awaited on stop. */
let timer: ReturnType<typeof setInterval> | undefined;
let lastBeat: Promise<void> = Promise.resolve();

const beat = () => reg.beat({ pid: 4242, version, tick_ms: 1000, started_at: new Date() });

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
  fleet = new FleetPage(browser.page, panel.url);
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

/** Every relayed command of the store, oldest first. */
async function relayRows(): Promise<{ id: string; kind: string; agent: string; state: string }[]> {
  const r = await store.db.execute<{ id: string; kind: string; agent: string; state: string }>(
    sql`select id, kind, agent, state from relay_commands order by created_at`,
  );
  return r.rows;
}

/** The other host's fleetd taking what waits for it, as its relay runner does (server/relay.ts). */
const taken = (what: string) => waitFor(what, async () => (await relay.take())[0] ?? null, 20_000);

describe('other hosts on the fleet page', () => {
  it('a single-host fleet shows no other hosts', async () => {
    await fleet.goto();
    expect((await snapshot()).other_hosts).toEqual([]);
    // the page has refreshed itself at least once since it loaded: still nothing
    await browser.page.waitForResponse((r) => r.url().endsWith('/api/v1/fleet'));
    expect(await browser.page.getByTestId('other-hosts').count()).toBe(0);
    expect(await browser.page.getByTestId('this-host-caption').count()).toBe(0);
  });

  it('lists another host with its agents, each with Restart and Terminate', async () => {
    snap = await snapshot();
    const here = snap.agents.find((r) => r.name === 'worker0')!;
    const { last_line: _, ...base } = here;
    const row = (name: string, extra: Partial<PsRow> = {}): PsRow => ({
      ...base,
      name,
      host: OTHER,
      ...extra,
    });

    reg = new RegisterStore(store.db, snap.tenant_id, OTHER);
    relay = new RelayStore(store.db, 'postgres', snap.tenant_id, OTHER, 'test-run');
    await beat();
    await reg.publish([
      { row: row('remote0'), class: 'worker' },
      { row: row('remote1', { failed: 'restart policy exhausted' }), class: 'reviewer' },
    ]);
    timer = setInterval(() => {
      lastBeat = beat().catch(() => undefined);
    }, 500);

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
    const r0 = fleet.hostRow(OTHER, 'remote0');
    const r1 = fleet.hostRow(OTHER, 'remote1');
    expect(await r0.textContent()).toContain('worker');
    expect(await r0.textContent()).toContain(here.runtime ?? '—');
    expect(await page.getByTestId(`host-readiness-${OTHER}-remote0`).textContent()).toBe(
      here.readiness,
    );
    expect(await r1.textContent()).toContain('reviewer');
    expect(await r1.textContent()).toContain('failed: restart policy exhausted');
    // each agent: Restart and Terminate; no link, as the host serves no panel, and none to an
    // agent page of this panel, which only shows this host's agents
    for (const r of [r0, r1]) {
      expect(await r.locator('button').allTextContents()).toEqual(['Restart', 'Terminate']);
      expect(await r.locator('a').count()).toBe(0);
    }
    expect(await page.getByTestId(`host-managed-${OTHER}`).textContent()).toBe(
      `managed by ${OTHER}'s fleetd`,
    );
    expect(await page.getByTestId(`host-unreachable-${OTHER}`).count()).toBe(0);
    // this host's table is as it was, now captioned
    expect(await page.getByTestId('this-host-caption').textContent()).toBe(
      `this host: ${snap.host}`,
    );
    expect(await fleet.agentNames()).toEqual(snap.agents.map((r) => r.name));
  });

  it("links each agent to its own host's panel when that host serves one, never to a script", async () => {
    const page = browser.page;
    // written with the host's beat, as fleetd writes FLEET_PANEL_URL; the version tells when the
    // page shows a beat that carries it
    reg.panelUrl = () => 'javascript:alert(1)';
    version = '9.9.9-script';
    await page.getByTestId(`host-fleetd-${OTHER}`).filter({ hasText: '9.9.9-script' }).waitFor();
    expect((await snapshot()).other_hosts[0]!.panel_url).toBe('javascript:alert(1)');
    expect(await page.getByTestId(`host-table-${OTHER}`).locator('a').count()).toBe(0);

    reg.panelUrl = () => OTHER_PANEL;
    await fleet.watchLink(OTHER, 'remote0').waitFor();
    for (const agent of ['remote0', 'remote1']) {
      const link = fleet.watchLink(OTHER, agent);
      expect(await link.textContent()).toBe(`Watch on ${OTHER}'s panel`);
      expect(await link.getAttribute('href')).toBe(`${OTHER_PANEL}/agents/${agent}`);
      expect(await link.getAttribute('target')).toBe('_blank');
    }
  });

  it("restarts another host's agent through its fleetd and shows its answer", async () => {
    expect(await relayRows()).toEqual([]);
    await fleet.actOnHost(OTHER, 'remote0', 'restart');
    // the other host's fleetd takes the command from the store...
    const cmd = await taken('the restart kept for the other host');
    expect(cmd).toMatchObject({
      kind: 'restart',
      agent: 'remote0',
      to_host: OTHER,
      from_host: snap.host,
      state: 'taken',
      payload: {},
    });
    // ...while the page waits for its answer, that row's buttons off
    const status = fleet.hostStatus(OTHER, 'remote0');
    expect(await status.getAttribute('data-state')).toBe('asking');
    expect(await status.textContent()).toBe(`asking ${OTHER} to restart remote0…`);
    expect(await browser.page.getByTestId(`host-restart-${OTHER}-remote0`).isDisabled()).toBe(true);
    await relay.finish(cmd.id, { name: 'remote0', epoch: 7 });
    expect(await fleet.hostAnswer(OTHER, 'remote0')).toEqual({
      state: 'done',
      text: 'restarted (epoch 7)',
    });
    expect(await browser.page.getByTestId(`host-restart-${OTHER}-remote0`).isEnabled()).toBe(true);
    // once, and only for that agent
    expect(await relayRows()).toEqual([
      { id: cmd.id, kind: 'restart', agent: 'remote0', state: 'done' },
    ]);
    expect(await fleet.hostStatus(OTHER, 'remote1').count()).toBe(0);
  });

  it('refuses a restart or terminate without a session or from another origin, and keeps nothing', async () => {
    const wanted = ['restartAgentAction', 'terminateAgentAction'];
    const actions = serverActions(wanted);
    expect(actions.map(([, a]) => a.exportedName).sort()).toEqual(wanted);
    const before = await relayRows();
    const cookie = await cookieHeader(browser.context, panel.url);
    for (const [id, a] of actions) {
      // the fleet page calls them: app/(panel)/page
      expect(Object.keys(a.workers), a.exportedName).toContain('app/(panel)/page');
      const post = (headers: Record<string, string>) =>
        callAction(`${panel.url}/`, id, [{ name: `${OTHER}:remote1` }], headers);
      const anonymous = await post({ origin: panel.url });
      expect(await anonymous.text(), a.exportedName).toContain('"code":"UNAUTHENTICATED"');
      const foreign = await post({ origin: 'http://127.0.0.1:1', cookie });
      expect(foreign.status, a.exportedName).toBe(403);
    }
    expect(await relayRows()).toEqual(before);
    expect(await relay.take()).toEqual([]);
  });

  it('says a terminate is kept, not done, when its host does not answer in time', async () => {
    // the relay waits 30 s and a margin for a reachable host's answer (lib/ops/relay.ts waitFor)
    await fleet.actOnHost(OTHER, 'remote1', 'terminate');
    const answer = await fleet.hostAnswer(OTHER, 'remote1', 60_000);
    expect(answer.state).toBe('kept');
    expect(answer.text).toMatch(
      new RegExp(
        `^terminate ${OTHER}:remote1: kept in the store for ${OTHER}; not done yet \\(command c-`,
      ),
    );
    // kept: its fleetd still finds it when it looks
    const cmd = await taken('the terminate kept for the other host');
    expect(cmd).toMatchObject({ kind: 'terminate', agent: 'remote1', to_host: OTHER });
    await relay.finish(cmd.id, { name: 'remote1', stopped: true });
  }, 120_000);

  it('marks the host unreachable when it stops writing; a terminate is kept until it is back', async () => {
    const page = browser.page;
    await stopBeating();
    // the page refreshes itself: no reload
    await page
      .getByTestId(`host-unreachable-${OTHER}`)
      .filter({ hasText: 'unreachable — last known state' })
      .waitFor();
    expect(await fleet.hostRow(OTHER, 'remote0').count()).toBe(1);
    expect(await fleet.hostRow(OTHER, 'remote1').count()).toBe(1);
    expect(await page.getByTestId(`host-heading-${OTHER}`).textContent()).toBe(`host ${OTHER}`);
    const after = (await snapshot()).other_hosts.find((h) => h.host === OTHER)!;
    expect(after.reachable).toBe(false);
    expect(after.agents.map((a) => a.name)).toEqual(['remote0', 'remote1']);

    // allowed, and answered at once: nobody is there to wait for
    await page.getByTestId(`host-terminate-${OTHER}-remote0`).click();
    expect(await page.getByTestId('confirm-dialog').textContent()).toContain(
      `${OTHER} is unreachable: the command is kept in the store and done when its fleetd is back.`,
    );
    await page.getByTestId('confirm-ok').click();
    const answer = await fleet.hostAnswer(OTHER, 'remote0', 10_000);
    expect(answer.state).toBe('kept');
    expect(answer.text).toMatch(
      new RegExp(
        `^terminate ${OTHER}:remote0: host ${OTHER} is unreachable \\(last seen \\d+ s ago\\); kept in the store, done when its fleetd is back$`,
      ),
    );
    const cmd = await taken('the terminate kept for the unreachable host');
    expect(cmd).toMatchObject({ kind: 'terminate', agent: 'remote0', to_host: OTHER });
  });
});
