/**
 * A coding fleet end to end (docs/review.md): stub agents in real tmux take repository cards
 * through claim → worktree → commit → review → approve → squash merge on a real git repository
 * (a temp bare origin and a clone of it as the base). The stubs commit what the card body says
 * (`edit:` lines, stub `--commit`) and a reviewer stub answers reviews (stub `--review`).
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { git, makeRepo, removeTemplates, subjects, type Fixture } from '@/lib/git/fixtures.js';
import { FLOOR, supervisedHarnesses, type Harness } from './support/supervised.js';
import { until } from './support/tmux-fleet.js';

const harnesses = supervisedHarnesses();
const repos: Fixture[] = [];
afterEach(async (ctx) => {
  // awaited: a harness still stopping when the file ends would leave its tmux server running
  await harnesses.closeAll(ctx.task.result?.state === 'fail');
  repos.splice(0).forEach((f) => f.cleanup());
});
afterAll(removeTemplates);

const worker = (name: string) => ({
  name,
  class: 'worker',
  env: { MOSAIC_STUB_COMMIT: '1' },
});

async function fleetOn(
  agents: Parameters<typeof harnesses.start>[0],
): Promise<{ h: Harness; f: Fixture }> {
  const f = await makeRepo({ detached: true });
  repos.push(f);
  const h = await harnesses.start([...FLOOR, ...agents], {
    rosterExtra: [
      'repos:',
      `  - { name: app, path: ${JSON.stringify(f.repo)}, base: main, remote: origin }`,
      'default_repo: app',
    ].join('\n'),
  });
  return { h, f };
}

const status = async (h: Harness, id: string) => (await h.client.backlog.show(id)).card;

async function untilStatus(h: Harness, id: string, want: string, timeoutMs = 60_000) {
  await until(async () => (await status(h, id)).status === want, `${id} ${want}`, timeoutMs);
}

describe('a coding fleet: worktrees, review and the merge gate with stub agents', () => {
  it('a DAG of repo cards, each reviewed by a reviewer agent that asks for changes once, lands as one squash commit per card in dependency order', async () => {
    const { h, f } = await fleetOn([
      worker('w0'),
      worker('w1'),
      { name: 'rev0', class: 'reviewer', env: { MOSAIC_STUB_REVIEW: 'changes-once' } },
    ]);
    await h.client.backlog.create({ id: 'c1', title: 'One', body: 'edit: one.txt = one' });
    await h.client.backlog.create({
      id: 'c2',
      title: 'Two',
      body: 'edit: two.txt = two',
      depends_on: ['c1'],
    });
    await h.client.backlog.create({
      id: 'c3',
      title: 'Three',
      body: 'edit: one.txt = three',
      depends_on: ['c2'],
    });
    await untilStatus(h, 'c3', 'done', 100_000);
    expect(await subjects(f.repo, 'main')).toEqual(['c3: Three', 'c2: Two', 'c1: One', 'initial']);
    // pushed to the forge
    expect(await subjects(f.origin, 'main')).toEqual(await subjects(f.repo, 'main'));
    expect((await git.run(f.repo, ['show', 'main:one.txt'])).trim()).toBe(
      'three\nreview: please add a review line',
    );
    for (const id of ['c1', 'c2', 'c3']) {
      const c = await status(h, id);
      expect(c.review).toMatchObject({ round: 2, approved_by: 'rev0', state: 'approved' });
      expect(c.review?.comments).toEqual([
        expect.objectContaining({ by: 'rev0', text: 'please add a review line' }),
      ]);
      expect(c.review?.merge).toMatchObject({ strategy: 'squash', pushed_to: 'origin' });
    }
    // every review card was answered and is done; no worktree is left behind
    const reviewCards = (await h.client.backlog.list({})).cards.filter((c) => c.phase === 'review');
    expect(reviewCards.map((c) => c.idempotency_key).sort()).toEqual([
      'review:c1:1',
      'review:c1:2',
      'review:c2:1',
      'review:c2:2',
      'review:c3:1',
      'review:c3:2',
    ]);
    expect(reviewCards.every((c) => c.status === 'done')).toBe(true);
    expect((await h.client.worktree.list()).worktrees).toEqual([]);
  });

  it('two cards that edit the same line: the second merge conflicts, goes back to its author naming the file, and lands after the fix', async () => {
    const { h, f } = await fleetOn([worker('w0'), worker('w1')]);
    await h.client.backlog.create({ id: 'x', title: 'X', body: 'edit: shared.txt = from x' });
    await h.client.backlog.create({ id: 'y', title: 'Y', body: 'edit: shared.txt = from y' });
    await untilStatus(h, 'x', 'review');
    await untilStatus(h, 'y', 'review');
    // no reviewer agent in this fleet: the reviews are the operator's, and the inbox says so
    await until(
      async () =>
        (await h.client.inbox.list()).items.filter((i) => i.reason === 'review').length === 2,
      'two review items in the inbox',
    );
    await h.client.review.approve({ id: 'x', by: 'alice' });
    await h.client.review.approve({ id: 'y', by: 'alice' });
    // one of them merges; the other conflicts and returns to its author, who merges main in
    await until(
      async () => {
        const cards = [await status(h, 'x'), await status(h, 'y')];
        return (
          cards.some((c) => c.status === 'done') &&
          cards.some((c) => c.review?.returned?.kind === 'conflict')
        );
      },
      'one merged, one back with a conflict',
      60_000,
    );
    const [second] = [await status(h, 'x'), await status(h, 'y')].filter(
      (c) => c.status !== 'done',
    );
    expect(second!.review?.returned).toMatchObject({ kind: 'conflict', files: ['shared.txt'] });
    await until(
      async () => (await status(h, second!.id)).status === 'review',
      'the author fixed it',
      60_000,
    );
    await h.client.review.approve({ id: second!.id, by: 'alice' });
    await untilStatus(h, second!.id, 'done');
    const log = await subjects(f.repo, 'main');
    expect(log).toHaveLength(3);
    expect(log[0]).toBe(`${second!.id}: ${second!.title}`);
    expect((await git.run(f.repo, ['show', 'main:shared.txt'])).trim()).toBe(`from ${second!.id}`);
  });

  it('cards whose paths overlap are not worked at once: the second waits with the reason on the card; PAUSE holds an approved merge', async () => {
    const { h, f } = await fleetOn([worker('w0'), worker('w1')]);
    await h.client.backlog.create({
      id: 'p1',
      title: 'P1',
      body: 'edit: src/a.txt = a',
      paths: ['src/**'],
      priority: 2,
    });
    await h.client.backlog.create({
      id: 'p2',
      title: 'P2',
      body: 'edit: src/b.txt = b',
      paths: ['src/b.txt'],
      priority: 1,
    });
    await untilStatus(h, 'p1', 'review');
    const waiting = await status(h, 'p2');
    expect(waiting.status).toBe('ready');
    expect(waiting.wait_reason).toBe(
      'waits for p1: paths overlap (src/b.txt and src/**) in repo app',
    );
    await h.client.flags.setPause({ paused: true, by: 'test', reason: 'hold' });
    await h.client.review.approve({ id: 'p1', by: 'alice' });
    await until(
      () => h.supervisor.last?.gate?.held.includes('p1') ?? false,
      'the merge gate holds p1 while paused',
    );
    expect((await status(h, 'p1')).status).toBe('review');
    expect(await subjects(f.repo, 'main')).toEqual(['initial']);
    await h.client.flags.setPause({ paused: false, by: 'test' });
    await untilStatus(h, 'p1', 'done');
    await untilStatus(h, 'p2', 'review');
    expect((await status(h, 'p2')).wait_reason).toBeNull();
  });
});
