/**
 * The fleet page and the agent terminal against the real server, real tmux and stub agents:
 * the demo agents are listed; watching shows live output and typing changes nothing in the
 * pane (capture-pane); takeover typing reaches the pane and others see who holds it.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { AgentPage } from './pages/agent-page.js';
import { FleetPage } from './pages/fleet-page.js';
import { LoginPage } from './pages/login-page.js';
import { cookieHeader, openBrowser, type Browser } from './support/browser.js';
import { callAction, serverActions } from './support/actions.js';
import { startPanel, waitFor, type Panel } from './support/panel.js';

let panel: Panel;
let browser: Browser;
const SECRET = `fleetd-secret-${Math.random().toString(36).slice(2)}`;

beforeAll(async () => {
  panel = await startPanel({
    serverEnv: {
      FLEET_E2E_SECRET: SECRET,
      BETTER_AUTH_SECRET: `${SECRET}-auth-secret-long-enough`,
    },
  });
  browser = await openBrowser();
  await new LoginPage(browser.page, panel.url).signIn(panel.email, panel.password);
});

afterAll(async () => {
  await browser?.close();
  await panel?.stop();
});

const marker = (what: string) => `${what}-${Math.random().toString(36).slice(2, 8)}`;

async function paneShows(text: string): Promise<void> {
  await waitFor(
    `"${text}" in the pane`,
    async () => (await panel.capture('worker0')).includes(text),
    15_000,
  );
}

describe('fleet page', () => {
  it('lists the demo agents with their readiness', async () => {
    const fleet = new FleetPage(browser.page, panel.url);
    await fleet.goto();
    expect(await fleet.agentNames()).toEqual([
      'orchestrator',
      'enhancer',
      'worker0',
      'worker1',
      'reviewer',
    ]);
    await browser.page
      .getByTestId('readiness-worker0')
      .filter({ hasText: /available|working|unknown/ })
      .waitFor();
    expect(await fleet.row('worker0').textContent()).toContain('stub');
    // the stub can reopen its conversation: each row says which way it started
    expect(await browser.page.getByTestId('conversation-worker0').textContent()).toMatch(
      /· (fresh|resumed)/,
    );
  });

  it('pauses with a reason that everyone sees, and resumes', async () => {
    const fleet = new FleetPage(browser.page, panel.url);
    await fleet.goto();
    await fleet.pause('e2e maintenance window');
    expect(await fleet.banner().textContent()).toContain('e2e maintenance window');
    expect(existsSync(panel.home.paused)).toBe(true);
    const st = JSON.parse((await panel.fleet(['status', '--json'])).stdout) as { paused: boolean };
    expect(st.paused).toBe(true);
    await fleet.resume();
    expect(existsSync(panel.home.paused)).toBe(false);
  });

  it('drains: the banner shows what the drain waits for until the fleet is quiet; fleet ps says DRAINING; resume ends it', async () => {
    const fleet = new FleetPage(browser.page, panel.url);
    await fleet.goto();
    await fleet.drain();
    expect(await fleet.drainBanner().textContent()).toContain('DRAINING');
    // the demo's cards last seconds: the stub agents finish them and the drain becomes quiet
    await browser.page.getByTestId('drain-quiet').waitFor({ timeout: 90_000 });
    const ps = await panel.fleet(['ps']);
    expect(ps.stdout).toMatch(/^DRAINING \(PAUSE while every agent finishes its turn/m);
    const claimed = JSON.parse(
      (await panel.fleet(['backlog', 'list', '--status', 'claimed', '--json'])).stdout,
    ) as { cards: unknown[] };
    expect(claimed.cards).toEqual([]);
    await browser.page.getByTestId('resume').click();
    await fleet.drainBanner().waitFor({ state: 'detached' });
    expect(existsSync(panel.home.paused)).toBe(false);
  });

  it('refuses a drain without a session or from another origin', async () => {
    const actions = serverActions(['drainAction']);
    expect(actions).toHaveLength(1);
    const [id, a] = actions[0]!;
    expect(Object.keys(a.workers)).toContain('app/(panel)/page');
    const cookie = await cookieHeader(browser.context, panel.url);
    const post = (headers: Record<string, string>) =>
      callAction(`${panel.url}/`, id, [{ reason: 'pwned' }], headers);
    const anonymous = await post({ origin: panel.url });
    expect(await anonymous.text()).toContain('"code":"UNAUTHENTICATED"');
    const foreign = await post({ origin: 'http://127.0.0.1:1', cookie });
    expect(foreign.status).toBe(403);
    expect(existsSync(panel.home.paused)).toBe(false);
  });
});

describe('agent terminal', () => {
  it('the agent page shows the contract the agent was launched with', async () => {
    const agent = new AgentPage(browser.page, panel.url);
    await agent.goto('worker0');
    const shown = browser.page.getByTestId('agent-contract');
    await shown.locator('summary').click();
    const expected = await panel.fleet(['agent', 'contract', 'worker0']);
    expect((await shown.locator('pre').textContent())?.trim()).toBe(expected.stdout.trim());
  });

  it('watching shows live output, and typing changes nothing in the pane', async () => {
    const agent = new AgentPage(browser.page, panel.url);
    await agent.goto('worker0');
    // output produced after the page opened reaches the browser
    const live = marker('live');
    expect((await panel.fleet(['agent', 'send', 'worker0', live])).code).toBe(0);
    await agent.waitForText(live);

    const typed = marker('typed');
    await agent.type(typed);
    // a later automated send proves the pane has taken input since the keys were pressed
    const after = marker('after');
    expect((await panel.fleet(['agent', 'send', 'worker0', after])).code).toBe(0);
    await paneShows(after);
    expect(await panel.capture('worker0')).not.toContain(typed);
    expect(await agent.screenText()).not.toContain(typed);
  });

  it('the monitor wall shows every agent live and read-only, each tile linking to its agent', async () => {
    const page = browser.page;
    await page.goto(`${panel.url}/monitor`);
    await page.getByTestId('monitor-wall').waitFor();
    const names = ['orchestrator', 'enhancer', 'worker0', 'worker1', 'reviewer'];
    for (const n of names) {
      await page
        .locator(`[data-testid="monitor-tile-${n}"] [data-testid="terminal"][data-state="live"]`)
        .waitFor({ timeout: 20_000 });
      expect(await page.getByTestId(`monitor-link-${n}`).getAttribute('href')).toBe(`/agents/${n}`);
    }
    const tile = (n: string) => `[data-testid="monitor-tile-${n}"] .xterm-rows`;
    const live = marker('wall');
    expect((await panel.fleet(['agent', 'send', 'worker1', live])).code).toBe(0);
    await page.waitForFunction(
      ([sel, t]) => document.querySelector(sel!)?.textContent?.includes(t!) ?? false,
      [tile('worker1'), live],
      { timeout: 15_000 },
    );
    // keys pressed on a tile reach nothing
    await page.locator('[data-testid="monitor-tile-worker1"] [data-testid="terminal"]').click();
    const typed = marker('typed');
    await page.keyboard.type(typed);
    await page.keyboard.press('Enter');
    const after = marker('after');
    expect((await panel.fleet(['agent', 'send', 'worker1', after])).code).toBe(0);
    await waitFor(
      `"${after}" in worker1's pane`,
      async () => (await panel.capture('worker1')).includes(after),
      15_000,
    );
    expect(await panel.capture('worker1')).not.toContain(typed);
    await page.getByTestId('monitor-link-worker1').click();
    await page.waitForURL(/\/agents\/worker1$/);
  });

  it('a watch socket that sends anything is closed and the pane is untouched', async () => {
    const cookie = await cookieHeader(browser.context, panel.url);
    const ws = new WebSocket(`${panel.url.replace('http', 'ws')}/ws/terminal/worker0?mode=watch`, {
      headers: { cookie, origin: panel.url },
    });
    await new Promise((r) => ws.once('open', r));
    const evil = marker('evil');
    const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
    ws.send(JSON.stringify({ type: 'input', data: `${evil}\r` }));
    expect(await closed).toBe(1008);
    const after = marker('after');
    await panel.fleet(['agent', 'send', 'worker0', after]);
    await paneShows(after);
    expect(await panel.capture('worker0')).not.toContain(evil);
  });

  it("the terminal's tmux client gets none of fleetd's environment", async () => {
    const agent = new AgentPage(browser.page, panel.url);
    await agent.goto('worker0');
    const pids = (
      await panel.tmux(['list-clients', '-t', '=worker0', '-F', '#{client_pid}'])
    ).stdout
      .split('\n')
      .filter(Boolean);
    expect(pids.length).toBeGreaterThan(0);
    for (const pid of pids) {
      const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      expect(environ.join('\n')).not.toContain(SECRET);
      expect(environ.some((e) => e.startsWith('TMUX='))).toBe(false);
      expect(environ).toContain('TERM=xterm-256color');
    }
    const sessionEnv = (await panel.tmux(['show-environment', '-t', '=worker0'])).stdout;
    expect(sessionEnv).not.toContain(SECRET);
  });

  it('the viewer never resizes the agent window', async () => {
    const size = async () =>
      (
        await panel.tmux([
          'display-message',
          '-p',
          '-t',
          '=worker0:',
          '#{window_width}x#{window_height}',
        ])
      ).stdout.trim();
    const before = await size();
    await browser.page.setViewportSize({ width: 700, height: 500 });
    const agent = new AgentPage(browser.page, panel.url);
    await agent.goto('worker0');
    expect(await size()).toBe(before);
    await browser.page.setViewportSize({ width: 1400, height: 900 });
  });

  it('takeover typing reaches the pane; others see who holds it; release ends it', async () => {
    const agent = new AgentPage(browser.page, panel.url);
    await agent.goto('worker0');
    await agent.takeOver();
    const marker_ = path.join(panel.home.runDir, 'worker0.takeover');
    await waitFor('takeover marker', () => existsSync(marker_), 10_000);
    expect(JSON.parse(readFileSync(marker_, 'utf8'))).toMatchObject({ who: panel.email });

    const typed = marker('takeover');
    await agent.type(typed);
    await paneShows(typed);
    await agent.waitForText(typed);

    // an automated send while the operator holds the agent is queued, not typed over them
    const queued = marker('queued');
    const send = await panel.fleet(['agent', 'send', 'worker0', queued, '--wait', '0', '--json']);
    expect(send.stdout + send.stderr).toContain('queued');
    expect(await panel.capture('worker0')).not.toContain(queued);

    // another operator's view shows the holder
    const other = await browser.context.newPage();
    try {
      await other.goto(`${panel.url}/agents/worker0`);
      await other.getByTestId('takeover-holder').filter({ hasText: panel.email }).waitFor();
      const fleet = await fetch(`${panel.url}/api/v1/agents/worker0`, {
        headers: { cookie: await cookieHeader(browser.context, panel.url) },
      });
      expect(((await fleet.json()) as { row: { takeover: string } }).row.takeover).toContain(
        panel.email,
      );
    } finally {
      await other.close();
    }

    await agent.release();
    await waitFor('takeover marker removed', () => !existsSync(marker_), 10_000);
  });

  it('reconnects after the connection drops', async () => {
    const agent = new AgentPage(browser.page, panel.url);
    await agent.goto('worker0');
    const term = browser.page.getByTestId('terminal');
    const before = Number(await term.getAttribute('data-connects'));
    // the server side of the viewer goes away (its tmux client is detached, as on a network drop)
    const detached = await panel.tmux(['detach-client', '-s', '=worker0']);
    expect(detached.code, detached.stderr + (await panel.tmux(['list-clients'])).stdout).toBe(0);
    await browser.page.locator(`[data-testid="terminal"][data-connects="${before + 1}"]`).waitFor();
    await agent.waitLive('watch');
    const live = marker('again');
    await panel.fleet(['agent', 'send', 'worker0', live]);
    await agent.waitForText(live);
  });

  it('restart asks for confirmation and starts a new epoch', async () => {
    const agent = new AgentPage(browser.page, panel.url);
    await agent.goto('worker1');
    const epoch = async () =>
      (
        JSON.parse((await panel.fleet(['ps', '--json'])).stdout) as {
          agents: { name: string; epoch: number }[];
        }
      ).agents.find((a) => a.name === 'worker1')!.epoch;
    const before = await epoch();
    await browser.page.getByTestId('restart').click();
    await browser.page.getByTestId('confirm-cancel').click();
    expect(await epoch()).toBe(before);
    await agent.confirm('restart');
    await waitFor('a new epoch', async () => (await epoch()) > before, 15_000);
  });

  it('terminate kills the session after confirmation', async () => {
    const agent = new AgentPage(browser.page, panel.url);
    await agent.goto('reviewer');
    await agent.confirm('terminate');
    const has = await panel.tmux(['has-session', '-t', '=reviewer']);
    expect(has.code).not.toBe(0);
  });
});
