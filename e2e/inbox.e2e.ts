/**
 * The attention inbox against the real server, real tmux and stub agents (docs/attention.md):
 * a stub that asks permission for its task raises an item with the prompt as evidence; the
 * operator's approve, deny and reply reach the pane; a usage limit counts down to its reset and
 * resume goes on; acknowledging dims an item; new items raise a browser notification once opted
 * in; the fleet page says what happened since the last visit; the new routes and actions refuse
 * a client without a session and a page on another origin; a permission item reaches the
 * roster's webhook connector once, signed (docs/connectors.md).
 *
 * Only this file gives the agents work: the orchestrator's plan queue is empty and the enhancer
 * files no cards, so the only card is the one a test files and each prompt is one a test asked for.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page, Response as PageResponse } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AttentionItem, InboxView, SinceDigest } from '@/lib/attention/types.js';
import { verifySignature } from '@/lib/connectors/webhook.js';
import type { ApiError } from '@/lib/web/types.js';
import { InboxPage } from './pages/inbox-page.js';
import { openSignedIn, type Browser } from './support/browser.js';
import { actionPage, callAction, serverActions } from './support/actions.js';
import { startPanel, waitFor, type Panel } from './support/panel.js';

let panel: Panel;
let browser: Browser;
let cookie: string;
let hook: WebhookReceiver;

/** The stub shows a permission prompt for each task it is given (framework/stub/agent.mjs). */
const ASKS_PERMISSION = { MOSAIC_STUB_ASK_PERMISSION: '1' };

const WEBHOOK_SECRET = `webhook-secret-${Math.random().toString(36).slice(2)}`;

interface HookRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

interface WebhookReceiver {
  url: string;
  requests: HookRequest[];
  close(): Promise<void>;
}

/**
 * Stands in for an operator's webhook receiver: the connector's generic JSON webhook, each POST
 * signed with HMAC-SHA256 (docs/connectors.md "Webhook"). Records every request and answers 200,
 * as test/connector-fleetd.test.ts does without a browser.
 */
async function webhookReceiver(): Promise<WebhookReceiver> {
  const requests: HookRequest[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

beforeAll(async () => {
  // before the panel: fleetd's connector may post as soon as the supervisor raises an item
  hook = await webhookReceiver();
  panel = await startPanel({
    // notifications are outbound only: what the other tests see in the panel does not change
    connector: {
      kind: 'webhook',
      webhook: { url: `${hook.url}/fleet` },
      notify: { reasons: ['permission'] },
    },
    serverEnv: { FLEET_WEBHOOK_SECRET: WEBHOOK_SECRET },
    agentEnv: {
      worker0: ASKS_PERMISSION,
      worker1: ASKS_PERMISSION,
      // its first card hits a usage limit that resets in ten minutes
      reviewer: { MOSAIC_STUB_RATE_LIMIT: '600' },
      orchestrator: { MOSAIC_STUB_PLAN_QUEUE: '/dev/null' },
      enhancer: { MOSAIC_STUB_FILE_DIGEST: '0' },
    },
  });
  ({ browser, cookie } = await openSignedIn(panel));
});

afterAll(async () => {
  await browser?.close();
  await panel?.stop();
  await hook?.close();
});

/** The supervisor raises and clears items on its own tick: wait generously, assert no timing. */
const RAISE_MS = 30_000;

const marker = (what: string) => `${what}-${Math.random().toString(36).slice(2, 8)}`;

async function send(agent: string, text: string): Promise<void> {
  const r = await panel.fleet(['agent', 'send', agent, text]);
  expect(r.code, r.stderr).toBe(0);
}

async function paneShows(agent: string, text: string): Promise<void> {
  await waitFor(
    `"${text}" in ${agent}'s pane`,
    async () => (await panel.capture(agent)).includes(text),
    RAISE_MS,
  );
}

async function inbox(): Promise<InboxView> {
  const res = await fetch(`${panel.url}/api/v1/inbox`, { headers: { cookie } });
  expect(res.status).toBe(200);
  return (await res.json()) as InboxView;
}

/** The open, unacknowledged item for this reason and agent, once the supervisor raised it. */
function openItem(reason: string, agent: string): Promise<AttentionItem> {
  return waitFor(
    `a ${reason} item for ${agent}`,
    async () =>
      (await inbox()).items.find(
        (i) => i.reason === reason && i.agent === agent && i.acked_at === null,
      ) ?? null,
    RAISE_MS,
  );
}

function postItem(
  id: string,
  verb: 'ack' | 'act',
  body: unknown,
  headers: Record<string, string> = { cookie, origin: panel.url },
): Promise<Response> {
  return fetch(`${panel.url}/api/v1/inbox/${encodeURIComponent(id)}/${verb}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

/** Say no through the API and wait until the item is cleared: the next test starts quiet. */
async function denyAndWait(id: string): Promise<void> {
  const res = await postItem(id, 'act', { action: 'deny' });
  expect(res.status, await res.clone().text()).toBe(200);
  await waitFor(
    `item ${id} cleared`,
    async () => !(await inbox()).items.some((i) => i.id === id),
    RAISE_MS,
  );
}

/** Resolves after `n` answers to the inbox's reads have reached the page. */
function inboxPolls(page: Page, n: number): Promise<void> {
  return new Promise((resolve) => {
    let seen = 0;
    const on = (r: PageResponse) => {
      if (new URL(r.url()).pathname !== '/api/v1/inbox' || ++seen < n) return;
      page.off('response', on);
      resolve();
    };
    page.on('response', on);
  });
}

describe('the inbox page', () => {
  it('says so when nothing needs the operator', async () => {
    const page = new InboxPage(browser.page, panel.url);
    await page.goto();
    await page.empty().waitFor();
    expect(await page.empty().textContent()).toBe('Nothing needs you.');
  });
});

/** What the webhook connector POSTs (lib/connectors/webhook.ts). */
interface HookBody {
  id: string;
  text: string;
  link: string | null;
  sent_at: string;
}

function hookPosts(): { req: HookRequest; body: HookBody }[] {
  return hook.requests
    .filter((r) => r.method === 'POST')
    .map((req) => ({ req, body: JSON.parse(req.body) as HookBody }));
}

/** The POSTs whose text has `what` in it, once there is at least one. */
function postsWith(what: string): Promise<{ req: HookRequest; body: HookBody }[]> {
  return waitFor(
    `a webhook POST with "${what}"`,
    () => {
      const found = hookPosts().filter((p) => p.body.text.includes(what));
      return found.length > 0 ? found : null;
    },
    RAISE_MS,
  );
}

/**
 * The connector does not notify the same fact (an item's key and evidence) again within ten
 * minutes (server/connectors/service.ts); each task below has its own id in the prompt, so each
 * prompt is a new fact.
 */
describe('webhook connector', () => {
  it('a permission item reaches the webhook once, signed and linked; approving it in the page sends nothing more', async () => {
    const page = new InboxPage(browser.page, panel.url);
    await page.goto();
    await send('worker0', 'task h1 1');
    const id = await page.waitForItem('permission', 'worker0', RAISE_MS);
    expect(await page.evidence(id).textContent()).toContain('Allow this command?');
    const item = (await inbox()).items.find((i) => i.id === id)!;

    const [post, ...more] = await postsWith(item.title);
    expect(more).toEqual([]);
    expect(post!.req.path).toBe('/fleet');
    expect(post!.req.headers['content-type']).toBe('application/json');
    expect(post!.req.headers['x-fleet-id']).toBe(post!.body.id);
    expect(post!.body.text).toContain(item.id);
    expect(post!.body.text).toContain('Allow this command?');
    expect(post!.body.link).toBe(`${panel.url}/agents/worker0`);
    const signed = verifySignature(
      WEBHOOK_SECRET,
      String(post!.req.headers['x-fleet-timestamp']),
      post!.req.body,
      String(post!.req.headers['x-fleet-signature']),
    );
    expect(signed).toBe(true);

    await page.approve(id);
    await paneShows('worker0', '[stub] approved');
    await page.waitGone(id, RAISE_MS);

    // a later item goes through the same outbox, which delivers oldest first: once it has been
    // delivered and nothing waits, anything more for the first item would have been sent already
    await send('worker1', 'task h2 1');
    const later = await openItem('permission', 'worker1');
    await postsWith(later.id);
    await waitFor(
      'an empty outbox',
      async () => {
        const r = await panel.fleet(['connector', 'status', '--json']);
        expect(r.code, r.stderr).toBe(0);
        const s = JSON.parse(r.stdout) as { kind: string; error: string | null; pending: number };
        expect(s).toMatchObject({ kind: 'webhook', error: null });
        return s.pending === 0;
      },
      RAISE_MS,
    );
    expect(hookPosts().filter((p) => p.body.text.includes(item.title))).toEqual([post]);
    await denyAndWait(later.id);
  });
});

describe('a permission prompt', () => {
  it('is raised with the prompt as evidence; approve answers yes and the item goes', async () => {
    const page = new InboxPage(browser.page, panel.url);
    await page.goto();
    await send('worker0', 'task t1 1');
    const id = await page.waitForItem('permission', 'worker0', RAISE_MS);

    const evidence = page.evidence(id);
    expect(await evidence.evaluate((e) => e.tagName)).toBe('PRE');
    expect(await evidence.textContent()).toContain('Allow this command?');
    expect(await browser.page.getByTestId(`agent-${id}`).getAttribute('href')).toBe(
      '/agents/worker0',
    );
    // the navigation counts it, on every page
    expect(await page.waitNavCount(1)).toBeGreaterThanOrEqual(1);

    await page.approve(id);
    await paneShows('worker0', '[stub] approved');
    await page.waitGone(id, RAISE_MS);
    await browser.page.getByTestId('inbox-notice').waitFor();
    expect((await browser.page.getByTestId('inbox-notice').textContent())?.trim()).not.toBe('');
    expect((await inbox()).items.some((i) => i.id === id)).toBe(false);
  });

  it('deny on a second prompt answers no', async () => {
    const page = new InboxPage(browser.page, panel.url);
    await page.goto();
    await send('worker0', 'task t2 1');
    const id = await page.waitForItem('permission', 'worker0', RAISE_MS);
    expect(await page.evidence(id).textContent()).toContain('Allow this command?');
    await page.deny(id);
    await paneShows('worker0', '[stub] denied');
    await page.waitGone(id, RAISE_MS);
  });
});

describe('a question', () => {
  it("reply types the operator's text into the agent literally", async () => {
    const page = new InboxPage(browser.page, panel.url);
    await page.goto();
    await send('reviewer', 'ask which branch should I use?');
    const id = await page.waitForItem('question', 'reviewer', RAISE_MS);
    // what a shell or an HTML renderer would change, it types as is
    const text = `use "main" && echo $HOME; <b>${marker('reply')}</b>`;
    await page.reply(id, text);
    await paneShows('reviewer', text);
    await page.waitGone(id, RAISE_MS);
  });
});

describe('a usage limit', () => {
  it('counts down to its reset; resume tells the agent to go on', async () => {
    const page = new InboxPage(browser.page, panel.url);
    await page.goto();
    // a limit needs the operator when it stalls work: the agent holds a card (a bare message
    // that meets a limit holds nothing up), so the card is for the reviewer's class alone
    const made = await panel.fleet([
      'backlog',
      'create',
      '--id',
      marker('limited'),
      '--title',
      'Review under a usage limit',
      '--body',
      'work: 1s',
      '--class',
      'reviewer',
    ]);
    expect(made.code, made.stderr).toBe(0);
    const id = await page.waitForItem('rate_limited', 'reviewer', RAISE_MS);
    const tid = `countdown-${id}`;
    const first = await browser.page.getByTestId(tid).textContent();
    expect(first).toMatch(/^resumes in \d/);
    // live: the text moves on without a reload
    await browser.page.waitForFunction(
      ([t, was]) => document.querySelector(`[data-testid="${t}"]`)?.textContent !== was,
      [tid, first] as const,
    );
    await browser.page.getByTestId(`resume_agent-${id}`).click();
    await paneShows('reviewer', '[stub] continuing');
    await page.waitGone(id, RAISE_MS);
  });
});

describe('acknowledging', () => {
  it('dims the item, says who acknowledged it, and takes it out of the count', async () => {
    const page = new InboxPage(browser.page, panel.url);
    await page.goto();
    await send('worker1', 'task a1 1');
    const id = await page.waitForItem('permission', 'worker1', RAISE_MS);
    await page.ack(id);
    expect(await browser.page.getByTestId(`acked-${id}`).textContent()).toContain(panel.email);
    expect(await page.item(id).getAttribute('class')).toContain('opacity-');
    expect(await browser.page.getByTestId(`ack-${id}`).count()).toBe(0);

    const view = await inbox();
    const item = view.items.find((i) => i.id === id);
    expect(item?.acked_at).not.toBeNull();
    expect(item?.acked_by).toContain(panel.email);
    expect(view.unacked).toBe(view.items.filter((i) => i.acked_at === null).length);
    // acknowledged is not answered: the prompt is still there and still answerable
    expect(await browser.page.getByTestId(`deny-${id}`).count()).toBe(1);
    await denyAndWait(id);
  });
});

/**
 * Records what the panel raises in `window.raised`; the permission and its prompt stay the
 * browser's own. A string, not a function: the page runs it as written, untouched by the
 * test's compiler.
 */
const RECORD_NOTIFICATIONS = `(() => {
  const Real = window.Notification;
  const raised = [];
  class Recorded {
    constructor(title, o) { raised.push({ title, tag: o && o.tag, body: o && o.body }); }
    close() {}
    static get permission() { return Real.permission; }
    static requestPermission() { return Real.requestPermission(); }
  }
  window.raised = raised;
  Object.defineProperty(window, 'Notification', { value: Recorded, configurable: true });
})();`;

describe('browser notifications', () => {
  it('once opted in, a new item raises one; items already open when a page loads do not', async () => {
    await browser.context.grantPermissions(['notifications'], { origin: panel.url });
    const tab = await browser.context.newPage();
    try {
      await tab.addInitScript(RECORD_NOTIFICATIONS);
      await tab.goto(`${panel.url}/`);
      await tab.getByTestId('fleet-table').waitFor();
      const optIn = tab.getByTestId('notify-optin');
      expect(await optIn.getAttribute('data-state')).toBe('off');
      await optIn.click();
      await tab.locator('[data-testid="notify-optin"][data-state="on"]').waitFor();

      await send('worker1', 'task n1 1');
      const item = await openItem('permission', 'worker1');
      const shown = await tab.waitForFunction(
        (id) =>
          (window as unknown as { raised: { tag?: string }[] }).raised.find((n) => n.tag === id) ??
          null,
        item.id,
        { timeout: RAISE_MS },
      );
      expect(await shown.jsonValue()).toMatchObject({ title: item.title, tag: item.id });

      // a page that opens with the item already there counts it but does not announce it
      // the page has read the inbox, and read it again once its event stream opened
      // (docs/api.md "Events"): it has seen the item as it stands
      const polls = inboxPolls(tab, 1);
      await tab.reload();
      await polls;
      await tab.locator('[data-testid="live-indicator"][data-state="live"]').waitFor();
      await tab.waitForLoadState('networkidle');
      await tab.locator('[data-testid="notify-optin"][data-state="on"]').waitFor();
      const again = await tab.evaluate(
        (id) =>
          (window as unknown as { raised: { tag?: string }[] }).raised.filter((n) => n.tag === id),
        item.id,
      );
      expect(again).toEqual([]);
      expect(
        Number(await tab.getByTestId('nav-inbox-count').getAttribute('data-count')),
      ).toBeGreaterThanOrEqual(1);

      await denyAndWait(item.id);
      await optIn.click();
      await tab.locator('[data-testid="notify-optin"][data-state="off"]').waitFor();
    } finally {
      await tab.close();
      await browser.context.clearPermissions();
    }
  });
});

describe('since you were last here', () => {
  it('the fleet page lists what was raised since the last visit, then nothing', async () => {
    const page = browser.page;
    const visit = async (): Promise<SinceDigest> => {
      const answer = page.waitForResponse(
        (r) => new URL(r.url()).pathname === '/api/v1/inbox/digest',
      );
      await page.goto(`${panel.url}/`);
      const res = await answer;
      expect(res.status()).toBe(200);
      return (await res.json()) as SinceDigest;
    };
    await visit();
    await send('worker1', 'task d1 1');
    const item = await openItem('permission', 'worker1');

    const d = await visit();
    expect(d.since).not.toBeNull();
    expect(d.raised).toBeGreaterThanOrEqual(1);
    expect(d.items.map((i) => i.id)).toContain(item.id);
    const card = page.getByTestId('since-digest');
    await card.waitFor();
    expect(await page.getByTestId('since-digest-summary').textContent()).toMatch(
      /^Since .+: \d+ raised, \d+ cleared, \d+ cards? done, \d+ blocked, \d+ restarts?/,
    );
    const link = page.getByTestId(`since-digest-item-${item.id}`);
    expect(await link.textContent()).toBe(item.title);
    await link.click();
    await page.waitForURL((u) => u.pathname === '/inbox');
    await new InboxPage(page, panel.url).item(item.id).waitFor();

    // straight back: nothing is new, so there is no card
    await visit();
    await page.getByTestId('since-digest-none').waitFor({ state: 'attached' });
    expect(await card.count()).toBe(0);
    await denyAndWait(item.id);
  });
});

/** A page on another port of 127.0.0.1, as an agent's dev server would serve (security.e2e.ts). */
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

describe('the inbox API and actions', () => {
  const routes: { method: 'GET' | 'POST'; path: string; body?: unknown }[] = [
    { method: 'GET', path: '/api/v1/inbox' },
    { method: 'GET', path: '/api/v1/inbox/digest' },
    { method: 'POST', path: '/api/v1/inbox/some-item/ack', body: {} },
    { method: 'POST', path: '/api/v1/inbox/some-item/act', body: { action: 'approve' } },
  ];

  it('refuses a client without a session: 401 and no data', async () => {
    for (const r of routes) {
      const variants: Record<string, string>[] = [
        {},
        { cookie: 'mosaic-fleet.session_token=forged.value' },
      ];
      for (const headers of variants) {
        const res = await fetch(panel.url + r.path, {
          method: r.method,
          // from the panel's own origin: what answers is the session check, not the origin check
          headers: { ...headers, 'content-type': 'application/json', origin: panel.url },
          body: r.body === undefined ? undefined : JSON.stringify(r.body),
        });
        expect(res.status, `${r.method} ${r.path}`).toBe(401);
        expect(await res.json()).toEqual({
          error: { code: 'UNAUTHENTICATED', message: expect.any(String) },
        });
      }
    }
  });

  it('refuses a write from another origin, even with the session, and answers nothing', async () => {
    await send('worker1', 'task f1 1');
    const item = await openItem('permission', 'worker1');
    const writes: ['ack' | 'act', unknown][] = [
      ['ack', {}],
      ['act', { action: 'approve' }],
    ];
    for (const origin of ['http://evil.example', 'http://127.0.0.1:1', null]) {
      for (const [verb, body] of writes) {
        const res = await postItem(item.id, verb, body, origin ? { cookie, origin } : { cookie });
        expect(res.status, `${verb} from ${origin}`).toBe(403);
        expect(((await res.json()) as ApiError).error.code).toBe('FORBIDDEN_ORIGIN');
      }
    }
    const still = (await inbox()).items.find((i) => i.id === item.id);
    expect(still).toMatchObject({ acked_at: null, cleared_at: null });
    expect(await panel.capture('worker1')).not.toContain('[stub] approved');
    await denyAndWait(item.id);
  });

  it('a page on another port can neither read the inbox nor record a visit', async () => {
    const own = () => fetch(`${panel.url}/api/v1/inbox/digest`, { headers: { cookie } });
    expect((await own()).status).toBe(200);
    const beforeAttack = Date.now();
    const attack = await servePage(`<!doctype html><title>attack</title><script>
(async () => {
  const results = {};
  for (const p of ['/api/v1/inbox', '/api/v1/inbox/digest']) {
    try {
      const r = await fetch('${panel.url}' + p, { credentials: 'include' });
      results[p] = await r.text();
    } catch (e) { results[p] = 'threw'; }
  }
  document.title = 'done ' + JSON.stringify(results);
})();
</script>`);
    try {
      const page = await browser.context.newPage();
      await page.goto(attack.url);
      await page.waitForFunction(() => document.title.startsWith('done'));
      const results = JSON.parse((await page.title()).slice(5)) as Record<string, string>;
      await page.close();
      // reads are not origin-checked (docs/security.md): CORS keeps the answer from the page
      expect(results).toEqual({ '/api/v1/inbox': 'threw', '/api/v1/inbox/digest': 'threw' });
    } finally {
      await attack.close();
    }
    // the digest refused the cross-site request before it recorded anything
    const next = (await (await own()).json()) as SinceDigest;
    expect(Date.parse(next.since!)).toBeLessThanOrEqual(beforeAttack);
    const refused = await fetch(`${panel.url}/api/v1/inbox/digest`, {
      headers: { cookie, 'sec-fetch-site': 'same-site' },
    });
    expect(refused.status).toBe(403);
  });

  it('names the field of a bad answer', async () => {
    for (const body of [
      { action: 'reply' },
      { action: 'reply', text: '   ' },
      { action: 'launch' },
      { action: 'approve', extra: 1 },
    ]) {
      const res = await postItem('some-item', 'act', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(((await res.json()) as ApiError).error.code).toBe('USAGE');
    }
  });

  it('the server actions refuse a client without a session and a page on another origin', async () => {
    const wanted = ['ackItemAction', 'actItemAction'];
    const actions = serverActions(wanted);
    expect(actions.map(([, a]) => a.exportedName).sort()).toEqual(wanted);
    for (const [id, a] of actions) {
      // app/(panel)/inbox/page → /inbox
      const page = actionPage(a);
      const post = (headers: Record<string, string>) =>
        callAction(panel.url + page, id, [{ id: 'some-item', action: 'approve' }], headers);
      const anonymous = await post({ origin: panel.url });
      expect(await anonymous.text(), a.exportedName).toContain('"code":"UNAUTHENTICATED"');
      const foreign = await post({ origin: 'http://127.0.0.1:1', cookie });
      expect(foreign.status, a.exportedName).toBe(403);
    }
  });
});
