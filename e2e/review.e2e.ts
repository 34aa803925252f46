/**
 * Review and the merge gate in the panel (docs/review.md), against the real server, real tmux,
 * real git and stub agents that commit their work (MOSAIC_STUB_COMMIT): a repo card worked by an
 * agent waits in the board's review column with its diff; dragging it out of review, or another
 * card into it, is refused with the store's reason; a card whose paths overlap it waits and says
 * so; a page on another origin cannot approve it;
 * Request changes sends it back to its author, who commits again for round 2; Approve lets the
 * merge gate land it on main and the card is done.
 *
 * The roster declares one repo, `app`: a clone of a bare repository whose HEAD is detached, so
 * the gate merges into a `main` that is not checked out. Only this file's cards are worked: the
 * orchestrator's plan queue is empty and the enhancer files no cards.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FleetdClient } from '@/lib/client/fleetd.js';
import type { ReviewView } from '@/lib/review/contract.js';
import type { CardView } from '@/lib/store/contract.js';
import type { ApiError } from '@/lib/web/types.js';
import { BacklogPage } from './pages/backlog-page.js';
import { CardReview } from './pages/card-review.js';
import { openSignedIn, type Browser } from './support/browser.js';
import { startPanel, waitFor, type Panel } from './support/panel.js';

const run = promisify(execFile);

let repos: string;
let clone: string;
let panel: Panel;
let client: FleetdClient;
let browser: Browser;
let cookie: string;

/** git in the test's own temp repositories, as argv (never a shell string). */
async function git(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('git', ['-C', cwd, ...args], { timeout: 30_000 });
  return stdout;
}

/** A bare `main` with one commit, and the clone the fleet works in, its HEAD detached. */
async function makeRepos(): Promise<void> {
  repos = mkdtempSync(path.join(os.tmpdir(), 'fleet-review-e2e-'));
  const bare = path.join(repos, 'app.git');
  const seed = path.join(repos, 'seed');
  clone = path.join(repos, 'app');
  await run('git', ['init', '--quiet', '--bare', '--initial-branch=main', bare]);
  await run('git', ['init', '--quiet', '--initial-branch=main', seed]);
  writeFileSync(path.join(seed, 'README.md'), '# app\n');
  await git(seed, 'add', 'README.md');
  await git(seed, 'commit', '--quiet', '-m', 'initial');
  await git(seed, 'push', '--quiet', bare, 'main');
  await run('git', ['clone', '--quiet', bare, clone]);
  // the operator's own checkout is elsewhere: the gate must not need main checked out
  await git(clone, 'checkout', '--quiet', '--detach');
}

/**
 * Worker stubs make and commit the change a card's body asks for (`edit: <path> = <text>`). The
 * reviewer stub gives no verdict (no MOSAIC_STUB_REVIEW): the operator answers from the panel.
 */
const COMMITS = { MOSAIC_STUB_COMMIT: '1' };

beforeAll(async () => {
  await makeRepos();
  panel = await startPanel({
    roster: { repos: [{ name: 'app', path: clone, base: 'main' }], default_repo: 'app' },
    agentEnv: {
      worker0: COMMITS,
      worker1: COMMITS,
      orchestrator: { MOSAIC_STUB_PLAN_QUEUE: '/dev/null' },
      enhancer: { MOSAIC_STUB_FILE_DIGEST: '0' },
    },
  });
  client = new FleetdClient(panel.home);
  ({ browser, cookie } = await openSignedIn(panel, '/backlog'));
});

afterAll(async () => {
  client?.close();
  await browser?.close();
  await panel?.stop();
  if (repos) rmSync(repos, { recursive: true, force: true });
});

/** The supervisor dispatches, the stub works and the gate merges on their own ticks. */
const FLOW_MS = 60_000;

async function card(id: string): Promise<CardView> {
  return (await client.backlog.show(id)).card;
}

function cardWhere(id: string, what: string, ok: (c: CardView) => boolean): Promise<CardView> {
  return waitFor(
    `${id} ${what}`,
    async () => {
      const c = await card(id);
      return ok(c) ? c : null;
    },
    FLOW_MS,
    () => panel.log().slice(-4000),
  );
}

async function api(method: 'GET' | 'POST', p: string, body?: unknown, headers = {}) {
  const res = await fetch(panel.url + p, {
    method,
    headers: { cookie, 'content-type': 'application/json', origin: panel.url, ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as unknown };
}

describe('a repo card in review', () => {
  it('waits in the review column with its diff against main', async () => {
    await client.backlog.create({
      id: 'c1',
      title: 'Add greeting',
      body: 'edit: hello.txt = hello\nwork: 0.3s',
      // what it touches: a card with overlapping paths waits for it (below)
      paths: ['hello.txt'],
      // a worker's, not the reviewer's: the reviewer reads the review card the gate files
      assignee_class: 'worker',
    });
    const inReview = await cardWhere('c1', 'in review', (c) => c.status === 'review');
    expect(inReview.review).toMatchObject({ state: 'pending', round: 1 });

    const board = new BacklogPage(browser.page, panel.url);
    await board.goto();
    await board.waitInColumn('c1', 'review');
    const tile = browser.page.getByTestId('card-review-c1');
    expect(await tile.textContent()).toMatch(/awaiting review · round 1/);

    const view = new CardReview(browser.page, panel.url);
    await view.open('c1');
    expect(await view.field('branch').textContent()).toBe('fleet/c1 → main');
    expect(await view.field('author').textContent()).toBe(inReview.review!.author);
    expect(await view.field('state').textContent()).toBe('awaiting review');
    expect(await view.field('round').textContent()).toBe('1');
    await view.file('hello.txt').waitFor();
    expect(await view.file('hello.txt').textContent()).toContain('+1');
    expect(await view.totals().textContent()).toMatch(/^1 file changed, \+1 −0/);
    expect(await view.rows('hello.txt', 'add')).toEqual(['hello']);
    expect(await view.rows('hello.txt', 'del')).toEqual([]);
    await view.close();
  });

  it('the API lists it and shows its diff; a page on another origin cannot approve it', async () => {
    const list = await api('GET', '/api/v1/review');
    expect(list.status).toBe(200);
    const reviews = (list.body as { reviews: ReviewView[] }).reviews;
    expect(reviews.map((r) => r.card.id)).toEqual(['c1']);
    // the list carries files without their patches
    expect(reviews[0]!.files[0]).not.toHaveProperty('patch');

    const show = await api('GET', '/api/v1/review/c1');
    expect(show.status).toBe(200);
    const file = (show.body as ReviewView).files.find((f) => f.path === 'hello.txt');
    expect(file?.patch).toContain('+hello');

    for (const origin of ['http://127.0.0.1:1', 'http://evil.example']) {
      const res = await api('POST', '/api/v1/review/c1', { action: 'approve' }, { origin });
      expect(res.status).toBe(403);
      expect((res.body as ApiError).error.code).toBe('FORBIDDEN_ORIGIN');
    }
    const still = await card('c1');
    expect(still).toMatchObject({ status: 'review', review: { state: 'pending' } });
  });

  it('refuses a drag out of review, or of another card into it, with the reason', async () => {
    const board = new BacklogPage(browser.page, panel.url);
    await board.goto();
    await board.waitInColumn('c1', 'review');
    await board.drag('c1', 'done');
    await board.error().waitFor();
    expect(await board.error().textContent()).toContain('merge gate');
    await board.drag('c1', 'ready');
    expect(await board.error().textContent()).toContain('request-changes');

    // waits on c1, so no agent takes it while it stands here
    await client.backlog.create({ id: 'c2', title: 'Follow-up', depends_on: ['c1'] });
    await board.waitInColumn('c2', 'ready');
    await browser.page.getByTestId('card-c2').dragTo(browser.page.getByTestId('column-review'));
    expect(await board.error().textContent()).toContain('reaches review when its author');
    // the store says the same to a client that skips the board's own check
    const moved = await api('POST', '/api/v1/backlog/c2/move', { to: 'review' });
    expect(moved.status).toBe(409);
    expect((moved.body as ApiError).error.message).toContain('review');
    expect((await card('c2')).status).toBe('ready');
    expect((await card('c1')).status).toBe('review');
    // out of the way: when c1 is done, c2 must not be worked
    expect((await api('POST', '/api/v1/backlog/c2/move', { to: 'blocked' })).status).toBe(200);
  });

  it('a card whose paths overlap the card in review waits, and its tile says why', async () => {
    await client.backlog.create({
      id: 'c3',
      title: 'Reword greeting',
      paths: ['hello.txt'],
      assignee_class: 'worker',
    });
    const waiting = await cardWhere('c3', 'waiting on c1', (c) => c.wait_reason !== null);
    expect(waiting.status).toBe('ready');
    expect(waiting.wait_reason).toContain('c1');
    const board = new BacklogPage(browser.page, panel.url);
    await board.goto();
    await board.waitInColumn('c3', 'ready');
    const why = browser.page.getByTestId('card-wait-reason-c3');
    expect(await why.textContent()).toContain(waiting.wait_reason!);
    expect(await board.card('c3').getByTestId('card-repo-c3').textContent()).toContain('app');
    // out of the way too: the rest of the file is about c1
    expect((await api('POST', '/api/v1/backlog/c3/move', { to: 'blocked' })).status).toBe(200);
  });

  it('Request changes sends it back to its author, who commits again: round 2', async () => {
    const before = await card('c1');
    const author = before.review!.author;
    const view = new CardReview(browser.page, panel.url);
    await view.goto('c1');
    const comment = 'Please greet the world too';
    await view.requestChanges(comment);

    const back = await cardWhere(
      'c1',
      'back in review for round 2',
      (c) => c.status === 'review' && (c.review?.round ?? 0) >= 2,
    );
    expect(back.review).toMatchObject({
      author,
      state: 'pending',
      returned: { kind: 'changes', by: `web:${panel.email}`, text: comment },
    });
    expect(back.review!.comments).toContainEqual(
      expect.objectContaining({ by: `web:${panel.email}`, text: comment }),
    );
    // the comment reached the author's pane with the card
    expect(await panel.capture(author)).toContain(comment);

    await view.goto('c1');
    await view.field('round').filter({ hasText: '2' }).waitFor();
    expect(await view.comments().textContent()).toContain(comment);
    expect(await view.returned().textContent()).toContain('changes requested');
    // the author's second commit is in the diff (the stub adds the comment's first line)
    const added = await view.rows('hello.txt', 'add');
    expect(added).toHaveLength(2);
    expect(added[0]).toBe('hello');
    expect(added[1]).toMatch(/^review: .*Please greet the world too$/);
    expect(await browser.page.getByTestId('card-review-c1').textContent()).toMatch(/round 2/);
  });

  it('Approve: the merge gate lands it on main and the card is done', async () => {
    const view = new CardReview(browser.page, panel.url);
    await view.goto('c1');
    await view.approve();
    const done = await cardWhere('c1', 'done', (c) => c.status === 'done');
    expect(done.review).toMatchObject({ state: 'approved', approved_by: `web:${panel.email}` });
    expect(done.review!.merge).not.toBeNull();

    const board = new BacklogPage(browser.page, panel.url);
    await board.goto();
    await board.waitInColumn('c1', 'done');
    const subjects = (await git(clone, 'log', 'main', '--format=%s')).split('\n');
    expect(subjects).toContain('c1: Add greeting');
    expect(await git(clone, 'show', 'main:hello.txt')).toContain('hello');

    await view.open('c1');
    await view.merge().waitFor();
    expect(await view.merge().textContent()).toContain(done.review!.merge!.commit.slice(0, 10));
    expect(await view.field('approved-by').textContent()).toContain(`web:${panel.email}`);
    // done: no verdict to give any more
    expect(await browser.page.getByTestId('review-approve').count()).toBe(0);
  });
});
