/**
 * Who did what on the agent page (lib/ops/timeline.ts, components/agent/agent-timeline.tsx):
 * against the real server, real tmux and stub agents, the Timeline section draws the cards an
 * agent worked as spans on a time axis, and clicking a span opens its card. Its JSON route
 * answers no client without a session, and a page on another origin cannot read it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLORS } from '@/components/agent/timeline-option.js';
import type { TimelineView } from '@/lib/timeline/contract.js';
import { AgentTimelineSection } from './pages/agent-timeline.js';
import { openSignedIn, type Browser } from './support/browser.js';
import { startPanel, waitFor, type Panel } from './support/panel.js';

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

async function cli(args: string[]): Promise<string> {
  const r = await panel.fleet(args);
  if (r.code !== 0) throw new Error(`fleet ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** worker0 claims and completes a card of ours, while PAUSE keeps the supervisor from it. */
async function workCard(id: string, title: string): Promise<void> {
  await cli(['pause', '--reason', 'timeline e2e']);
  try {
    await cli(['backlog', 'create', '--id', id, '--title', title]);
    const claimed = JSON.parse(
      await cli(['backlog', 'claim', '--id', id, '--owner', 'worker0', '--json']),
    ) as { card: { fence: number } };
    // a span wide enough to see
    await new Promise((r) => setTimeout(r, 1500));
    await cli([
      'backlog',
      'complete',
      '--id',
      id,
      '--owner',
      'worker0',
      '--fence',
      String(claimed.card.fence),
    ]);
  } finally {
    await cli(['resume']);
  }
}

const timelineUrl = () => `${panel.url}/api/v1/agents/worker0/timeline`;

describe('the agent page’s timeline', () => {
  it('draws the card spans, lists them, and a click on a span opens its card', async () => {
    await workCard('tl-card', 'timeline card');
    const page = browser.page;
    await page.goto(`${panel.url}/agents/worker0`);
    const section = new AgentTimelineSection(page);
    await section.root().waitFor();
    // the start the supervisor made is a mark; our card is a span
    await waitFor(
      'a card span in the chart',
      async () => (await section.cardSpans(COLORS.card).count()) > 0,
      30_000,
    );
    const entries = await section.entries();
    expect(entries.some((t) => /tl-card "timeline card": completed/.test(t))).toBe(true);
    expect(entries.some((t) => /^.*start epoch \d+/.test(t))).toBe(true);

    const view = (await (
      await fetch(timelineUrl(), { headers: { cookie } })
    ).json()) as TimelineView;
    const cardIds = view.entries.flatMap((e) => (e.kind === 'card' ? [e.card] : []));
    expect(cardIds).toContain('tl-card');

    await section.cardSpans(COLORS.card).last().click();
    await page.waitForURL(/\/backlog\?card=/);
    const opened = decodeURIComponent(new URL(page.url()).searchParams.get('card') ?? '');
    expect(cardIds).toContain(opened);
    await page.getByTestId('card-editor').waitFor();
    expect(await page.getByTestId('card-edit-title').inputValue()).toBe(
      (
        (await (
          await fetch(`${panel.url}/api/v1/backlog/${opened}`, { headers: { cookie } })
        ).json()) as { card: { title: string } }
      ).card.title,
    );
  });
});

describe('the timeline route', () => {
  it('answers 401 and no data without a session, and the data with one', async () => {
    const variants: Record<string, string>[] = [
      {},
      { cookie: 'mosaic-fleet.session_token=forged.value' },
    ];
    for (const headers of variants) {
      const res = await fetch(timelineUrl(), { headers: { ...headers, origin: panel.url } });
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({
        error: { code: 'UNAUTHENTICATED', message: expect.any(String) },
      });
    }
    const ok = await fetch(timelineUrl(), { headers: { cookie } });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as TimelineView).agent).toBe('worker0');
    const bad = await fetch(`${timelineUrl()}?since=yesterday`, { headers: { cookie } });
    expect(bad.status).toBe(400);
  });

  it('cannot be read by a page on another origin, with the operator signed in', async () => {
    const server = http.createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'text/html' }).end('<p>elsewhere</p>'),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const foreign = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    // the operator's own browser, signed in: its cookie goes with a same-site request
    try {
      await browser.page.goto(foreign);
      const outcome = await browser.page.evaluate(async (url) => {
        const seen: Record<string, string> = {};
        try {
          const r = await fetch(url, { credentials: 'include' });
          seen.cors = `read ${r.status} ${(await r.text()).slice(0, 40)}`;
        } catch (e) {
          seen.cors = `refused: ${(e as Error).name}`;
        }
        const opaque = await fetch(url, { credentials: 'include', mode: 'no-cors' });
        seen.noCors = `${opaque.type} ${opaque.status} ${(await opaque.text()).length}`;
        return seen;
      }, timelineUrl());
      expect(outcome.cors).toBe('refused: TypeError');
      expect(outcome.noCors).toBe('opaque 0 0');
    } finally {
      await new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      });
    }
  });
});
