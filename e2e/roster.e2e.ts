/**
 * Roster forms: a change lands in roster.yaml with the user's comments kept and the agent's
 * env file regenerated; a concurrent edit is reported, not overwritten; the floor holds.
 */
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoginPage } from './pages/login-page.js';
import { RosterPage } from './pages/roster-page.js';
import { openBrowser, type Browser } from './support/browser.js';
import { readRoster, startPanel, type Panel } from './support/panel.js';

let panel: Panel;
let browser: Browser;
const INLINE = '# e2e: a comment the operator wrote';

beforeAll(async () => {
  panel = await startPanel({ up: false });
  // a comment of the operator's own, beside an agent the form will edit
  writeFileSync(
    panel.home.roster,
    readRoster(panel).replace('  - name: worker0\n', `  - name: worker0 ${INLINE}\n`),
  );
  browser = await openBrowser();
  await new LoginPage(browser.page, panel.url).signIn(panel.email, panel.password, '/roster');
});

afterAll(async () => {
  await browser?.close();
  await panel?.stop();
});

describe('roster page', () => {
  it('applies a form change to roster.yaml, keeping comments, and regenerates the env file', async () => {
    const roster = new RosterPage(browser.page, panel.url);
    await roster.goto();
    await roster.field('worker0', 'model').fill('e2e-model');
    await roster.field('worker0', 'channels').fill('ops, alerts');
    await roster.field('worker0', 'yolo').check();
    await roster.apply('worker0');
    await roster.saved().waitFor();
    expect(await roster.saved().textContent()).toContain('Restart it');

    const text = readRoster(panel);
    expect(text).toContain('# Demo: stub agents only');
    expect(text).toContain(`- name: worker0 ${INLINE}`);
    const worker0 = text.slice(text.indexOf('- name: worker0'), text.indexOf('- name: worker1'));
    expect(worker0).toContain('model: e2e-model');
    expect(worker0).toContain('yolo: true');
    expect(worker0).toMatch(/channels:\s*\n\s*- ops\n\s*- alerts/);
    // untouched agents keep their exact text
    expect(text.slice(text.indexOf('- name: worker1'))).not.toContain('model:');

    const env = readFileSync(panel.home.agentEnv('worker0'), 'utf8');
    expect(env).toContain('MOSAIC_AGENT_MODEL="e2e-model"');
    expect(env).toContain('MOSAIC_AGENT_CHANNELS="ops,alerts"');
  });

  it('reports a concurrent edit instead of overwriting it', async () => {
    const roster = new RosterPage(browser.page, panel.url);
    await roster.goto();
    appendFileSync(panel.home.roster, '# edited elsewhere while the form was open\n');
    const before = readRoster(panel);
    await roster.field('worker1', 'model').fill('would-overwrite');
    await roster.apply('worker1');
    await roster.conflict().waitFor();
    expect(await roster.conflict().textContent()).toContain('changed since this page loaded');
    expect(readRoster(panel)).toBe(before);
    expect(readRoster(panel)).not.toContain('would-overwrite');
  });

  it('keeps the fleet floor: the sole orchestrator cannot be removed', async () => {
    const roster = new RosterPage(browser.page, panel.url);
    await roster.goto();
    const before = readRoster(panel);
    await roster.remove('orchestrator');
    await roster.error().waitFor();
    expect(await roster.error().textContent()).toContain('sole orchestrator');
    expect(readRoster(panel)).toBe(before);
  });

  it('adds an agent validated by the roster schema', async () => {
    const roster = new RosterPage(browser.page, panel.url);
    await roster.goto();
    const page = browser.page;
    await page.getByTestId('roster-add-name').fill('Bad Name');
    await page.getByTestId('roster-add-runtime').selectOption('stub');
    await page.getByTestId('roster-add-submit').click();
    await roster.error().waitFor();
    expect(readRoster(panel)).not.toContain('Bad Name');

    await page.getByTestId('roster-add-name').fill('worker2');
    await page.getByTestId('roster-add-submit').click();
    await roster.saved().waitFor();
    expect(readRoster(panel)).toMatch(/- name: worker2\n\s+class: worker\n\s+runtime: stub/);
    expect(existsSync(panel.home.agentEnv('worker2'))).toBe(true);
  });

  it('removes an agent and its env file, as `fleet agent remove` does', async () => {
    const roster = new RosterPage(browser.page, panel.url);
    await roster.goto();
    await roster.remove('worker2');
    await roster.saved().waitFor();
    expect(readRoster(panel)).not.toContain('name: worker2');
    expect(existsSync(panel.home.agentEnv('worker2'))).toBe(false);
  });
});
