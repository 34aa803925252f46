/**
 * Review and the merge gate on real git and a real store (docs/review.md), without agents: the
 * test plays the author (commits in the worktree fleetd made) and the reviewer. The end-to-end
 * flow with stub agents is test/review-fleet.test.ts.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FleetdClient } from '@/lib/client/fleetd.js';
import {
  commit,
  git,
  makeRepo,
  removeTemplates,
  subjects,
  type Fixture,
} from '@/lib/git/fixtures.js';
import type { FleetHome } from '@/lib/home.js';
import { startFleetd, type Fleetd } from '@/server/fleetd.js';
import { acceptanceGuard } from '@/server/supervisor/component.js';
import { tempHome } from './support/fleetd.js';
import { runFleet } from './support/fleet-cli.js';
import { operatorUmask } from '@/lib/umask.js';

let home: FleetHome;
let cleanup: () => void;
let f: Fixture;
let fleetd: Fleetd;
let client: FleetdClient;
const log: string[] = [];

function roster(extra = ''): void {
  mkdirSync(home.root, { recursive: true });
  writeFileSync(
    home.roster,
    [
      'version: 2',
      'agents:',
      '  - { name: orch, class: orchestrator, runtime: stub }',
      '  - { name: enh, class: enhancer, runtime: stub }',
      '  - { name: w0, class: worker, runtime: stub }',
      'repos:',
      `  - { name: app, path: ${JSON.stringify(f.repo)}, base: main, remote: origin${extra} }`,
      'default_repo: app',
      '',
    ].join('\n'),
  );
}

beforeEach(async () => {
  ({ home, cleanup } = tempHome({ seeded: true }));
  f = await makeRepo({ detached: true });
  roster();
  fleetd = await startFleetd({
    home,
    reapIntervalMs: 0,
    log: (l) => log.push(l),
    completionGuard: acceptanceGuard(home, (l) => log.push(l)),
  });
  client = new FleetdClient(home);
});

afterEach(async () => {
  client.close();
  await fleetd.stop();
  cleanup();
  f.cleanup();
  log.length = 0;
});

afterAll(removeTemplates);

/** Claim the card as w0: the claim makes its worktree. */
async function claim(id: string) {
  const { card, place } = await client.backlog.claim({ id, owner: 'w0@test#1', ttl_seconds: 600 });
  return { card: card!, place: place! };
}

async function complete(card: { id: string; fence: number }) {
  return (await client.backlog.complete({ id: card.id, owner: 'w0@test#1', fence: card.fence }))
    .card;
}

describe('a repository card: worktree, review, one approval, the merge gate', () => {
  it('takes the default repo, works on fleet/<id> in its own worktree, reaches review, merges as one squash commit and is pushed', async () => {
    const { card } = await client.backlog.create({ id: 'c1', title: 'Add greeting' });
    expect(card.repo).toBe('app');
    const { card: held, place } = await claim('c1');
    expect(place).toEqual({
      repo: 'app',
      base: 'main',
      branch: 'fleet/c1',
      worktree: path.join(home.root, 'worktrees', 'app', 'c1'),
    });
    // the worktree is the operator's: their umask, not fleetd's 077
    expect(statSync(place.worktree).mode & 0o777).toBe(0o777 & ~operatorUmask());
    // nothing committed yet: not done, and the reason says what to do
    await expect(complete(held)).rejects.toThrow(/no commits on fleet\/c1 ahead of main/);
    const again = await claim('c1');
    writeFileSync(path.join(place.worktree, 'hello.txt'), 'hello\n');
    await expect(complete(again.card)).rejects.toThrow(
      /uncommitted changes in .*worktrees\/app\/c1/,
    );
    const third = await claim('c1');
    await commit(place.worktree, { 'hello.txt': 'hello\n' }, 'greet');
    const inReview = await complete(third.card);
    expect(inReview.status).toBe('review');
    expect(inReview.review).toMatchObject({ state: 'pending', author: 'w0', round: 1 });

    const shown = await client.review.show({ id: 'c1', diff: true });
    expect(shown.files).toEqual([
      expect.objectContaining({ path: 'hello.txt', status: 'added', additions: 1, deletions: 0 }),
    ]);
    expect(shown.files[0]!.patch).toContain('+hello');
    expect(shown.commands.diff).toBe(`git -C ${f.repo} diff main...fleet/c1`);

    // the author cannot approve its own work
    await expect(client.review.approve({ id: 'c1', by: 'w0' })).rejects.toThrow(/cannot approve/);
    await client.review.approve({ id: 'c1', by: 'alice' });
    await expect(client.review.approve({ id: 'c1', by: 'bob' })).rejects.toThrow(
      /already approved/,
    );
    const pass = await fleetd.services.repoWork.gatePass([]);
    expect(pass.merged).toEqual(['c1']);
    const done = (await client.backlog.show('c1')).card;
    expect(done.status).toBe('done');
    expect(done.review?.merge).toMatchObject({ strategy: 'squash', pushed_to: 'origin' });
    expect(await subjects(f.repo, 'main')).toEqual(['c1: Add greeting', 'initial']);
    // pushed: the forge's main is the merged main
    expect((await git.run(f.origin, ['rev-parse', 'main'])).trim()).toBe(
      done.review?.merge?.commit,
    );
    // merged work is cleaned up: no worktree, no branch
    expect(existsSync(place.worktree)).toBe(false);
    expect((await git.run(f.repo, ['branch', '--list', 'fleet/c1'])).trim()).toBe('');
  });

  it('request changes returns the card to its author with the comment; PAUSE holds the merge; a conflict goes back naming the file', async () => {
    await client.backlog.create({ id: 'a', title: 'A', paths: ['shared.txt'] });
    await client.backlog.create({ id: 'b', title: 'B', paths: ['shared.txt'] });
    const a = await claim('a');
    await commit(a.place.worktree, { 'shared.txt': 'from a\n' }, 'a');
    await complete(a.card);
    await client.review.requestChanges({ id: 'a', comment: 'say hello too', by: 'alice' });
    const back = (await client.backlog.show('a')).card;
    expect(back).toMatchObject({ status: 'ready', assignee: 'w0' });
    expect(back.review?.returned).toMatchObject({
      kind: 'changes',
      by: 'alice',
      text: 'say hello too',
    });
    const a2 = await claim('a');
    expect(a2.place.worktree).toBe(a.place.worktree);
    await commit(a2.place.worktree, { 'shared.txt': 'from a\nhello\n' }, 'a, reviewed');
    expect((await complete(a2.card)).review).toMatchObject({ round: 2, state: 'pending' });
    await client.review.approve({ id: 'a', by: 'alice' });

    await client.flags.setPause({ paused: true, reason: 'hold merges', by: 'test' });
    const held = await fleetd.services.repoWork.gatePass([]);
    expect(held).toMatchObject({ merged: [], held: ['a'] });
    expect(await subjects(f.repo, 'main')).toEqual(['initial']);
    await client.flags.setPause({ paused: false, by: 'test' });

    // b edits the same file from the old main: its merge after a's conflicts
    const b = await claim('b');
    await commit(b.place.worktree, { 'shared.txt': 'from b\n' }, 'b');
    await complete(b.card);
    await client.review.approve({ id: 'b', by: 'alice' });
    const pass = await fleetd.services.repoWork.gatePass([]);
    expect(pass.merged).toEqual(['a']);
    expect(pass.returned).toEqual(['b']);
    const bBack = (await client.backlog.show('b')).card;
    expect(bBack).toMatchObject({ status: 'ready', assignee: 'w0' });
    expect(bBack.review?.returned).toMatchObject({ kind: 'conflict', files: ['shared.txt'] });
    expect(bBack.last_error).toMatch(/conflicted in: shared.txt/);
    expect(await subjects(f.repo, 'main')).toEqual(['a: A', 'initial']);

    // the author merges main, resolves, and the card lands
    const b2 = await claim('b');
    await git.run(b2.place.worktree, [
      '-c',
      'user.name=t',
      '-c',
      'user.email=t@x',
      'merge',
      '--no-edit',
      '-X',
      'ours',
      'main',
    ]);
    await complete(b2.card);
    await client.review.approve({ id: 'b', by: 'alice' });
    expect((await fleetd.services.repoWork.gatePass([])).merged).toEqual(['b']);
    expect(await subjects(f.repo, 'main')).toEqual(['b: B', 'a: A', 'initial']);
    expect(readFileSync(path.join(f.origin, 'HEAD'), 'utf8')).toMatch(/main/);
  });

  it('a check that fails on the merged result leaves main untouched and sends the card back with the output', async () => {
    await client.backlog.create({
      id: 'c',
      title: 'C',
      acceptance: { criteria: [], check: 'test ! -e forbidden.txt' },
    });
    const c = await claim('c');
    await commit(c.place.worktree, { 'ok.txt': 'fine\n' }, 'c');
    await complete(c.card);
    await client.review.approve({ id: 'c', by: 'alice' });
    // main gains a file the check refuses: the merged result fails, the branch alone passed
    const before = await git.run(f.repo, ['rev-parse', 'main']);
    const scratch = path.join(f.root, 'main-wt');
    await git.run(f.repo, ['worktree', 'add', scratch, 'main']);
    await commit(scratch, { 'forbidden.txt': 'x\n' }, 'forbid');
    await git.run(f.repo, ['worktree', 'remove', scratch]);
    const moved = await git.run(f.repo, ['rev-parse', 'main']);
    expect(moved).not.toBe(before);
    const pass = await fleetd.services.repoWork.gatePass([]);
    expect(pass.returned).toEqual(['c']);
    expect(await git.run(f.repo, ['rev-parse', 'main'])).toBe(moved);
    const back = (await client.backlog.show('c')).card;
    expect(back.review?.returned).toMatchObject({ kind: 'check' });
    expect(back.review?.returned?.text).toMatch(
      /the check failed on the result of merging into main/,
    );
  });

  it('a reviewer agent gets one review card per round, with the commands; it is done only once answered', async () => {
    await client.backlog.create({ id: 'r', title: 'R' });
    const r = await claim('r');
    await commit(r.place.worktree, { 'r.txt': 'r\n' }, 'r');
    await complete(r.card);
    const pass = await fleetd.services.repoWork.gatePass(['rev0']);
    expect(pass.reviewCards).toHaveLength(1);
    expect((await fleetd.services.repoWork.gatePass(['rev0'])).reviewCards).toEqual([]);
    const rc = (await client.backlog.show(pass.reviewCards[0]!)).card;
    expect(rc).toMatchObject({
      assignee_class: 'reviewer',
      repo: null,
      idempotency_key: 'review:r:1',
    });
    expect(rc.body).toContain('Approve: fleet review approve r');
    expect(rc.body).toContain(`git -C ${f.repo} diff main...fleet/r`);
    const { card: held } = await client.backlog.claim({ id: rc.id, owner: 'rev0@test#1' });
    await expect(
      client.backlog.complete({ id: rc.id, owner: 'rev0@test#1', fence: held!.fence }),
    ).rejects.toThrow(/answer the review first/);
    const { card: again } = await client.backlog.claim({ id: rc.id, owner: 'rev0@test#1' });
    await client.review.approve({ id: 'r', by: 'rev0' });
    const done = await client.backlog.complete({
      id: rc.id,
      owner: 'rev0@test#1',
      fence: again!.fence,
    });
    expect(done.card.status).toBe('done');
  });

  it('with pull_request: gh, the branch is pushed and gh is run with its exact argv in the repository (a stand-in gh that records its call)', async () => {
    roster(', pull_request: gh');
    const bin = path.join(f.root, 'bin');
    mkdirSync(bin);
    const calls = path.join(f.root, 'gh-calls.jsonl');
    // stands in for GitHub's CLI: records argv, cwd and whether a fleetd secret reached it
    writeFileSync(
      path.join(bin, 'gh'),
      `#!${process.execPath}\nrequire('fs').appendFileSync(${JSON.stringify(calls)}, JSON.stringify({ argv: process.argv.slice(2), cwd: process.cwd(), db: 'DATABASE_URL' in process.env }) + '\\n');\nconsole.log('https://forge.invalid/pr/7');\n`,
      { mode: 0o755 },
    );
    const oldPath = process.env.PATH;
    process.env.PATH = `${bin}:${oldPath}`;
    process.env.DATABASE_URL = 'postgres://secret@db/x';
    try {
      await client.backlog.create({ id: 'g', title: 'Gh card', body: 'does $(things)' });
      const g = await claim('g');
      await commit(g.place.worktree, { 'g.txt': 'g\n' }, 'g');
      await complete(g.card);
      await fleetd.services.repoWork.gatePass([]);
    } finally {
      process.env.PATH = oldPath;
      delete process.env.DATABASE_URL;
    }
    const [call] = readFileSync(calls, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { argv: string[]; cwd: string; db: boolean });
    expect(call).toEqual({
      argv: [
        'pr',
        'create',
        '--base',
        'main',
        '--head',
        'fleet/g',
        '--title',
        'g: Gh card',
        '--body',
        'does $(things)\n\nFrom Mosaic Fleet card g, by w0.',
      ],
      cwd: f.repo,
      db: false,
    });
    expect((await client.backlog.show('g')).card.review?.pull_request).toBe(
      'https://forge.invalid/pr/7',
    );
    // the branch is on the forge
    expect((await git.run(f.origin, ['rev-parse', 'fleet/g'])).trim()).toBe(
      (await git.run(f.repo, ['rev-parse', 'fleet/g'])).trim(),
    );
    // once: a second pass opens no second pull request
    await fleetd.services.repoWork.gatePass([]);
    expect(readFileSync(calls, 'utf8').trim().split('\n')).toHaveLength(1);
    // the next round's commits reach the forge's branch; the pull request stays the one
    await client.review.requestChanges({ id: 'g', comment: 'more', by: 'alice' });
    const g2 = await claim('g');
    const head = await commit(g2.place.worktree, { 'g.txt': 'g2\n' }, 'g2');
    await complete(g2.card);
    await fleetd.services.repoWork.gatePass([]);
    expect((await git.run(f.origin, ['rev-parse', 'fleet/g'])).trim()).toBe(head);
    expect(readFileSync(calls, 'utf8').trim().split('\n')).toHaveLength(1);
  });

  it('a card whose worktree was removed by hand gets it back on its own branch, commits kept', async () => {
    await client.backlog.create({ id: 'h', title: 'H' });
    const h = await claim('h');
    const head = await commit(h.place.worktree, { 'h.txt': 'h\n' }, 'h');
    await client.backlog.fail({
      id: 'h',
      owner: 'w0@test#1',
      fence: h.card.fence,
      reason: 'later',
    });
    await git.run(f.repo, ['worktree', 'remove', '--force', h.place.worktree]);
    await git.run(f.repo, ['worktree', 'prune']);
    const again = await claim('h');
    expect(again.place.worktree).toBe(h.place.worktree);
    expect((await git.run(again.place.worktree, ['rev-parse', 'HEAD'])).trim()).toBe(head);
  });

  it('the built CLI: fleet review list, show --diff, request-changes (hostile text refused), approve; fleet worktree list and prune', async () => {
    await client.backlog.create({ id: 'v', title: 'Via the CLI' });
    const v = await claim('v');
    await commit(v.place.worktree, { 'v.txt': 'v1\n' }, 'v');
    await complete(v.card);
    const fleet = (...args: string[]) =>
      runFleet(home.root, args, { env: { MOSAIC_AGENT_NAME: '' } });
    const list = await fleet('review', 'list');
    expect(list.stdout).toMatch(
      /^v\s+Via the CLI\s+app\s+fleet\/v → main\s+w0\s+pending\s+1\s+\+1\/-0\s+1\s+1\/0$/m,
    );
    const show = await fleet('review', 'show', 'v', '--diff');
    expect(show.stdout).toContain('+v1');
    expect(show.stdout).toContain(`git -C ${f.repo} diff main...fleet/v`);
    const hostile = await fleet(
      'review',
      'request-changes',
      'v',
      '--comment',
      'fix \u001b[2J this',
    );
    expect(hostile.code).not.toBe(0);
    expect(hostile.stderr).toMatch(/comment: contains .*ESC/);
    expect((await client.backlog.show('v')).card.status).toBe('review');
    const wts = await fleet('worktree', 'list');
    expect(wts.stdout).toMatch(/app\s+v\s+review\s+fleet\/v\s+1\/0\s+no\s+no/);
    const dry = await fleet('worktree', 'prune', '--dry-run');
    expect(dry.stdout).toContain(`kept ${v.place.worktree} (fleet/v): card v is in review`);
    const ok = await fleet('review', 'approve', 'v', '--by', 'carol');
    expect(ok).toMatchObject({
      code: 0,
      stdout: 'v: approved by carol; the merge gate merges it next\n',
    });
    const twice = await fleet('review', 'approve', 'v', '--by', 'dave');
    expect(twice.code).not.toBe(0);
    expect(twice.stderr).toContain('already approved by carol');
  });

  it('worktree list and prune: a worktree with unmerged commits is kept and named', async () => {
    await client.backlog.create({ id: 'k', title: 'K' });
    await client.backlog.create({ id: 'e', title: 'E' });
    const k = await claim('k');
    await commit(k.place.worktree, { 'k.txt': 'k\n' }, 'k');
    await client.backlog.fail({
      id: 'k',
      owner: 'w0@test#1',
      fence: k.card.fence,
      reason: 'later',
    });
    const e = await claim('e');
    await client.backlog.fail({
      id: 'e',
      owner: 'w0@test#1',
      fence: e.card.fence,
      reason: 'later',
    });
    const { worktrees } = await client.worktree.list();
    expect(worktrees.map((w) => [w.card, w.branch, w.ahead, w.merged])).toEqual(
      expect.arrayContaining([
        ['k', 'fleet/k', 1, false],
        ['e', 'fleet/e', 0, true],
      ]),
    );
    const pruned = await client.worktree.prune({});
    expect(pruned.removed.map((r) => r.branch)).toEqual(['fleet/e']);
    expect(pruned.kept).toEqual([
      { path: k.place.worktree, branch: 'fleet/k', why: '1 commit(s) not merged into base' },
    ]);
    expect(existsSync(k.place.worktree)).toBe(true);
    expect(existsSync(e.place.worktree)).toBe(false);
  });

  it('bad repositories: one clear line each, nothing created', async () => {
    await expect(client.backlog.create({ id: 'n', title: 'n', repo: 'nope' })).rejects.toThrow(
      `repo "nope" is not in the roster's repos (app)`,
    );
    expect((await client.backlog.list({})).cards).toEqual([]);
    expect((await client.backlog.create({ id: 'plain', title: 'p', repo: null })).card.repo).toBe(
      null,
    );
    const cases: [string, string, RegExp][] = [
      [
        'nr',
        `repos:\n  - { name: app, path: ${JSON.stringify(home.root)}, base: main }`,
        /is not a git repository/,
      ],
      [
        'nb',
        `repos:\n  - { name: app, path: ${JSON.stringify(f.repo)}, base: nope }`,
        /base branch "nope" does not exist/,
      ],
    ];
    // a claim that cannot have its worktree blocks the card with the reason and says so
    const refused = async (id: string, want: RegExp) => {
      await expect(client.backlog.claim({ id, owner: 'w0@test#1' })).rejects.toThrow(want);
      const card = (await client.backlog.show(id)).card;
      expect(card.status).toBe('blocked');
      expect(card.blocked_reason).toMatch(want);
      expect(existsSync(path.join(home.root, 'worktrees', 'app', id))).toBe(false);
    };
    for (const [id, repos, want] of cases) {
      writeFileSync(
        home.roster,
        readFileSync(home.roster, 'utf8').replace(/repos:\n {2}- .*\n/, `${repos}\n`),
      );
      await client.backlog.create({ id, title: id });
      await refused(id, want);
      roster();
    }
    // an existing branch of the card's name is not taken over
    await git.run(f.repo, ['branch', 'fleet/x', 'main']);
    await client.backlog.create({ id: 'x', title: 'x' });
    await refused('x', /branch fleet\/x already exists and is not card x's worktree/);
    // a dirty checkout of base is refused before the merge gate could move it
    const wt = path.join(f.root, 'base-wt');
    await git.run(f.repo, ['worktree', 'add', wt, 'main']);
    writeFileSync(path.join(wt, 'dirty.txt'), 'x');
    await client.backlog.create({ id: 'd', title: 'd' });
    await refused('d', /main is checked out at .*base-wt with uncommitted changes/);
  });
});
