/**
 * The Kanban board on both stores: embedded PGlite and PostgreSQL (DATABASE_URL). Dragging a
 * card moves it in the store through a server action; illegal moves are refused; cards waiting
 * on dependencies are marked; the board follows changes made by others (the supervisor, the CLI).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { BacklogPage } from './pages/backlog-page.js';
import { LoginPage } from './pages/login-page.js';
import { cookieHeader, openBrowser, type Browser } from './support/browser.js';
import { startPanel, type Panel } from './support/panel.js';

interface Card {
  id: string;
  status: string;
  title: string;
  depends_on: string[];
}

describe.each(['pglite', 'postgres'] as const)('Kanban board on %s', (store) => {
  let panel: Panel;
  let browser: Browser;
  let cookie: string;

  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(panel.url + path, {
      method,
      // a script of the operator's names the panel as its origin (docs/api.md)
      headers: { cookie, 'content-type': 'application/json', origin: panel.url },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  /** what the store says, through fleetd's own API (the CLI) — not through the panel */
  const stored = async (
    id: string,
  ): Promise<Card & { events: { kind: string; actor: string }[] }> => {
    const r = await panel.fleet(['backlog', 'show', '--id', id, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as { card: Card; events: { kind: string; actor: string }[] };
    return { ...j.card, events: j.events };
  };

  beforeAll(async () => {
    panel = await startPanel({ store, up: false, postgresUrl: inject('databaseUrl') });
    browser = await openBrowser();
    await new LoginPage(browser.page, panel.url).signIn(panel.email, panel.password, '/backlog');
    cookie = await cookieHeader(browser.context, panel.url);
    // PAUSE: no supervisor dispatch may race the board in these tests
    expect(
      (await api('POST', '/api/v1/pause', { paused: true, reason: 'e2e: board under test' }))
        .status,
    ).toBe(200);
    for (const c of [
      { id: 'design', title: 'Design the widget', priority: 5 },
      { id: 'build', title: 'Build the widget', depends_on: ['design'] },
      { id: 'docs', title: 'Write the docs' },
    ]) {
      expect((await api('POST', '/api/v1/backlog', c)).status).toBe(200);
    }
  });

  afterAll(async () => {
    await browser?.close();
    await panel?.stop();
  });

  it(`shows the columns with dependency markers (${store})`, async () => {
    const board = new BacklogPage(browser.page, panel.url);
    await board.goto();
    await board.waitInColumn('design', 'ready');
    await board.waitInColumn('build', 'ready');
    expect(await browser.page.getByTestId('card-waiting-build').textContent()).toContain('design');
    expect(await browser.page.getByTestId('card-waiting-design').count()).toBe(0);
  });

  it(`draws the dependency graph with its critical path, and follows changes (${store})`, async () => {
    const board = new BacklogPage(browser.page, panel.url);
    await board.goto();
    await browser.page.getByTestId('backlog-graph-link').click();
    const node = (id: string) => browser.page.getByTestId(`dag-node-${id}`);
    await node('build').waitFor();
    // design → build is the longest chain of cards not done; docs stands alone
    expect(await node('design').getAttribute('data-status')).toBe('ready');
    expect(await node('design').getAttribute('data-critical')).toBe('yes');
    expect(await node('build').getAttribute('data-critical')).toBe('yes');
    expect(await node('docs').getAttribute('data-critical')).toBe('no');
    expect(
      await browser.page.getByTestId('dag-edge-design-build').getAttribute('data-critical'),
    ).toBe('yes');
    // a card added elsewhere appears, and the path grows through it
    const release = { id: 'release', title: 'Release the widget', depends_on: ['build'] };
    expect((await api('POST', '/api/v1/backlog', release)).status).toBe(200);
    await browser.page
      .locator('[data-testid="dag-node-release"][data-critical="yes"]')
      .waitFor({ timeout: 10_000 });
    expect(await browser.page.getByTestId('critical-path').textContent()).toContain(
      'design → build → release',
    );
    // a node opens its card on the Kanban
    await node('build').click();
    await browser.page.waitForURL(/\/backlog\?card=build$/);
  });

  it(`dragging a card moves it in the store (${store})`, async () => {
    const board = new BacklogPage(browser.page, panel.url);
    await board.goto();
    await board.drag('docs', 'blocked');
    await board.waitInColumn('docs', 'blocked');
    const card = await stored('docs');
    expect(card.status).toBe('blocked');
    expect(card.events.at(-1)).toMatchObject({ kind: 'moved', actor: `web:${panel.email}` });

    await board.drag('docs', 'ready');
    await board.waitInColumn('docs', 'ready');
    expect((await stored('docs')).status).toBe('ready');
  });

  it(`refuses an illegal move and changes nothing (${store})`, async () => {
    const board = new BacklogPage(browser.page, panel.url);
    await board.goto();
    await board.drag('build', 'done');
    await board.error().waitFor();
    expect(await board.error().textContent()).toContain('waits on design');
    expect((await stored('build')).status).toBe('ready');
    await board.waitInColumn('build', 'ready');
    // the server refuses it too: the board's check is a courtesy, the service decides
    const r = await api('POST', '/api/v1/backlog/build/move', { to: 'done' });
    expect(r.status).toBe(409);
    expect((await stored('build')).status).toBe('ready');
  });

  it(`updates live as others move cards (${store})`, async () => {
    const board = new BacklogPage(browser.page, panel.url);
    await board.goto();
    const claim = await panel.fleet([
      'backlog',
      'claim',
      '--id',
      'design',
      '--owner',
      'e2e-agent',
      '--json',
    ]);
    expect(claim.code, claim.stderr).toBe(0);
    const fence = (JSON.parse(claim.stdout) as { card: { fence: number } }).card.fence;
    await board.waitInColumn('design', 'claimed');
    const done = await panel.fleet([
      'backlog',
      'complete',
      '--id',
      'design',
      '--owner',
      'e2e-agent',
      '--fence',
      String(fence),
    ]);
    expect(done.code, done.stderr).toBe(0);
    await board.waitInColumn('design', 'done');
    await browser.page.getByTestId('card-waiting-build').waitFor({ state: 'detached' });
  });

  it(`creates and edits cards, with links (${store})`, async () => {
    const board = new BacklogPage(browser.page, panel.url);
    await board.goto();
    await board.create('Ship it', 'ship', ['build']);
    expect(await browser.page.getByTestId('card-waiting-ship').textContent()).toContain('build');
    expect((await stored('ship')).depends_on).toEqual(['build']);

    await board.card('ship').click();
    await browser.page.getByTestId('card-edit-title').fill('Ship it now');
    await browser.page.getByTestId('card-edit-save').click();
    await board.card('ship').filter({ hasText: 'Ship it now' }).waitFor();
    expect((await stored('ship')).title).toBe('Ship it now');

    // a link that would close a cycle is refused, naming it
    await board.card('build').click();
    await browser.page.getByTestId('card-link-input').fill('ship');
    await browser.page.getByTestId('card-link-add').click();
    await browser.page.getByTestId('card-editor-error').filter({ hasText: 'cycle' }).waitFor();
    expect((await stored('build')).depends_on).toEqual(['design']);
  });
});
