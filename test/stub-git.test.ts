import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { STUB, until } from './support/tmux-fleet.js';

/**
 * The stub's repository switches (framework/stub/agent.mjs, header comment): `--commit` changes
 * and commits a repo card in its git worktree, `--review` answers review cards. Each stub runs
 * in a real tmux pane on a server of its own (`-L`, its own TMUX_TMPDIR), and only that server
 * is killed. The fleet CLI is a fake that writes its argv, one JSON array a line.
 */

interface Pane {
  text(): string;
  /** paste a prompt (bracketed, as fleetd does) and press Enter */
  paste(text: string): void;
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** git without the machine's config, and without any repository the test runner sits in */
const gitEnv: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  HOME: os.tmpdir(),
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'test',
  GIT_AUTHOR_EMAIL: 'test@fleet.invalid',
  GIT_COMMITTER_NAME: 'test',
  GIT_COMMITTER_EMAIL: 'test@fleet.invalid',
};
const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', args, {
    cwd,
    env: gitEnv,
    encoding: 'utf8',
    timeout: 10_000,
    // a refusal is in the thrown error, not on the test run's stderr
    stdio: ['ignore', 'pipe', 'pipe'],
  });

interface Repo {
  dir: string;
  worktree: string;
  commit(file: string, text: string, message: string): void;
}

/** A repository with a `main` branch and the worktree of card c1 on fleet/c1. */
function repoWithWorktree(files: Record<string, string> = { 'README.md': 'app\n' }): Repo {
  const root = tempDir('mft-git-');
  const dir = path.join(root, 'app');
  const worktree = path.join(root, 'worktrees', 'app', 'c1');
  mkdirSync(dir);
  git(dir, 'init', '-q', '-b', 'main');
  for (const [f, t] of Object.entries(files)) writeFileSync(path.join(dir, f), t);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'base');
  git(dir, 'worktree', 'add', '-q', '-b', 'fleet/c1', worktree, 'main');
  return {
    dir,
    worktree,
    commit: (file, text, message) => {
      writeFileSync(path.join(dir, file), text);
      git(dir, 'add', '-A');
      git(dir, 'commit', '-q', '-m', message);
    },
  };
}

/** A fake `fleet`: run as `node <it> <args>` (MOSAIC_FLEET_BIN), it logs its argv. */
function fakeFleet(): { bin: string; calls(): string[][] } {
  const dir = tempDir('mft-fleet-');
  const log = path.join(dir, 'calls.jsonl');
  const bin = path.join(dir, 'fleet.mjs');
  writeFileSync(
    bin,
    `import { appendFileSync } from 'node:fs';\n` +
      `appendFileSync(${JSON.stringify(log)}, JSON.stringify(process.argv.slice(2)) + '\\n');\n`,
  );
  return {
    bin,
    calls: () => {
      try {
        return readFileSync(log, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as string[]);
      } catch {
        return [];
      }
    },
  };
}

function startStub(args: string[], env: Record<string, string>): Pane {
  const tmpdir = tempDir('mft-sgit-');
  const socket = `mf-sgit-${process.pid}-${randomBytes(3).toString('hex')}`;
  const tmux = (a: string[], input?: string) =>
    execFileSync('tmux', ['-L', socket, '-f', '/dev/null', ...a], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, TMUX_TMPDIR: tmpdir },
      encoding: 'utf8',
      timeout: 10_000,
      input,
    });
  cleanups.push(() => {
    try {
      tmux(['kill-server']);
    } catch {
      // the server is already gone
    }
  });
  const vars = {
    MOSAIC_AGENT_NAME: 'w0',
    MOSAIC_HEARTBEAT_FILE: path.join(tmpdir, 'w0.hb'),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    ...env,
  };
  tmux([
    'new-session',
    '-d',
    '-s',
    'w0',
    '-x',
    '200',
    '-y',
    '50',
    ...Object.entries(vars).flatMap(([k, v]) => ['-e', `${k}=${v}`]),
    '--',
    process.execPath,
    STUB,
    ...args,
  ]);
  return {
    text: () => tmux(['capture-pane', '-p', '-J', '-S', '-200', '-t', '=w0:']),
    paste: (t) => {
      const buffer = `mf-${randomBytes(4).toString('hex')}`;
      tmux(['load-buffer', '-b', buffer, '-'], t);
      tmux(['paste-buffer', '-d', '-p', '-r', '-b', buffer, '-t', '=w0:']);
      tmux(['send-keys', '-t', '=w0:', 'Enter']);
    },
  };
}

async function prompted(p: Pane): Promise<void> {
  await until(() => /^stub(\[\w+\])?>/m.test(p.text()), 'the stub prompt');
}

const COMPLETE = ['backlog', 'complete', '--id', 'c1', '--owner', 'w0@host#1', '--fence', '2'];

/** The prompt fleetd types for repo card c1 (its format, line for line). */
function repoPrompt(worktree: string, body: string[], returned: string[] = []): string {
  return [
    '[fleet task c1] Add greeting',
    ...body,
    'Repository: app (base main)',
    `Worktree: ${worktree}`,
    'Branch: fleet/c1',
    `Work only in that worktree (cd ${worktree}) and commit your changes on fleet/c1; uncommitted work is not reviewed.`,
    ...returned,
    'When done, run:',
    'fleet backlog complete --id c1 --owner w0@host#1 --fence 2',
    'If you cannot finish, run:',
    'fleet backlog fail --id c1 --owner w0@host#1 --fence 2 --reason "<why>"',
  ].join('\n');
}

const count = (repo: Repo, range: string) => Number(git(repo.dir, 'rev-list', '--count', range));

describe('--commit', () => {
  it('edits, commits on the card branch, then completes', async () => {
    const repo = repoWithWorktree();
    const fleet = fakeFleet();
    const p = startStub([], { MOSAIC_STUB_COMMIT: '1', MOSAIC_FLEET_BIN: fleet.bin });
    await prompted(p);
    p.paste(
      repoPrompt(repo.worktree, [
        'Say hello. work: 1s',
        'edit: greeting.txt = hello from c1',
        'edit: src/lines.txt = one\\ntwo',
      ]),
    );
    await until(() => fleet.calls().length > 0, 'the completion command');
    expect(fleet.calls()).toEqual([COMPLETE]);
    expect(count(repo, 'main..fleet/c1')).toBe(1);
    expect(git(repo.dir, 'log', '-1', '--format=%s|%an|%ae', 'fleet/c1').trim()).toBe(
      'c1: Add greeting|stub|stub@fleet.invalid',
    );
    expect(git(repo.dir, 'show', 'fleet/c1:greeting.txt')).toBe('hello from c1\n');
    expect(git(repo.dir, 'show', 'fleet/c1:src/lines.txt')).toBe('one\ntwo\n');
    expect(git(repo.worktree, 'status', '--porcelain')).toBe('');
    expect(p.text()).toMatch(/\[stub\] committed [0-9a-f]+ for c1: greeting\.txt, src\/lines\.txt/);
    expect(p.text()).toContain('[stub] done c1');
  });

  it('without directives writes fleet-<id>.txt, and answers changes and check returns', async () => {
    const repo = repoWithWorktree();
    const fleet = fakeFleet();
    const p = startStub(['--commit'], { MOSAIC_FLEET_BIN: fleet.bin });
    await prompted(p);
    // no `work:` and no `edit:`: worked 0.2 s, the default file gets the title line
    p.paste(repoPrompt(repo.worktree, ['Say hello.']));
    await until(() => fleet.calls().length === 1, 'the first completion');
    expect(git(repo.dir, 'show', 'fleet/c1:fleet-c1.txt')).toBe('[fleet task c1] Add greeting\n');

    p.paste(
      repoPrompt(
        repo.worktree,
        ['Say hello.', 'edit-after-check: check.txt = fixed'],
        ['Returned (changes) by reviewer0: please add a review line', 'and more words'],
      ),
    );
    await until(() => fleet.calls().length === 2, 'the second completion');
    expect(git(repo.dir, 'show', 'fleet/c1:fleet-c1.txt')).toBe(
      '[fleet task c1] Add greeting\nreview: please add a review line\n',
    );
    expect(count(repo, 'main..fleet/c1')).toBe(2);
    // edit-after-check waits for a check return
    expect(() => git(repo.dir, 'cat-file', '-e', 'fleet/c1:check.txt')).toThrow();

    p.paste(
      repoPrompt(
        repo.worktree,
        ['Say hello.', 'edit-after-check: check.txt = fixed'],
        ['Returned (check) by merge-gate: the check failed: exit 1'],
      ),
    );
    await until(() => fleet.calls().length === 3, 'the third completion');
    expect(fleet.calls()).toEqual([COMPLETE, COMPLETE, COMPLETE]);
    expect(count(repo, 'main..fleet/c1')).toBe(3);
    expect(git(repo.dir, 'show', 'fleet/c1:check.txt')).toBe('fixed\n');
    // a check return applies its fix alone: the review line stays
    expect(git(repo.dir, 'diff', '--name-only', 'fleet/c1~1', 'fleet/c1').trim()).toBe('check.txt');
  });

  it('a conflict return merges the base keeping the branch side, then completes', async () => {
    const repo = repoWithWorktree({ 'a.txt': 'base line\n' });
    const fleet = fakeFleet();
    const p = startStub([], { MOSAIC_STUB_COMMIT: '1', MOSAIC_FLEET_BIN: fleet.bin });
    await prompted(p);
    const body = ['Change the line.', 'edit: a.txt = branch line'];
    p.paste(repoPrompt(repo.worktree, body));
    await until(() => fleet.calls().length === 1, 'the first completion');
    const first = git(repo.dir, 'rev-parse', 'fleet/c1').trim();

    // main moves on: the same line, and a file of its own
    repo.commit('a.txt', 'main line\n', 'main edits a');
    repo.commit('b.txt', 'from main\n', 'main adds b');
    // they conflict (merge-tree exits 1)
    expect(() => git(repo.dir, 'merge-tree', '--write-tree', 'fleet/c1', 'main')).toThrow();

    p.paste(
      repoPrompt(repo.worktree, body, [
        'Returned (conflict) by merge-gate: merging into main conflicted in: a.txt. Merge main into your branch (git merge main), resolve the conflicts, commit, and report done again.',
      ]),
    );
    await until(() => fleet.calls().length === 2, 'the second completion');
    expect(fleet.calls()).toEqual([COMPLETE, COMPLETE]);
    const head = git(repo.dir, 'rev-parse', 'fleet/c1').trim();
    expect(head).not.toBe(first);
    // a merge commit of the branch and main, whose tree has the branch's side
    expect(git(repo.dir, 'rev-list', '--parents', '-1', 'fleet/c1').trim().split(' ')).toEqual([
      head,
      first,
      git(repo.dir, 'rev-parse', 'main').trim(),
    ]);
    git(repo.dir, 'merge-base', '--is-ancestor', 'main', 'fleet/c1');
    expect(git(repo.dir, 'show', 'fleet/c1:a.txt')).toBe('branch line\n');
    expect(git(repo.dir, 'show', 'fleet/c1:b.txt')).toBe('from main\n');
    expect(git(repo.worktree, 'status', '--porcelain')).toBe('');
    // main now merges cleanly
    git(repo.dir, 'merge-tree', '--write-tree', 'main', 'fleet/c1');
    expect(p.text()).toContain("[stub] merged main into c1's branch (-X ours)");
  });

  it('a git failure runs the fail line with git’s error', async () => {
    const repo = repoWithWorktree();
    const fleet = fakeFleet();
    const p = startStub([], { MOSAIC_STUB_COMMIT: '1', MOSAIC_FLEET_BIN: fleet.bin });
    await prompted(p);
    // the worktree is not a repository any more
    rmSync(path.join(repo.worktree, '.git'));
    p.paste(repoPrompt(repo.worktree, ['edit: x.txt = x']));
    await until(() => fleet.calls().length > 0, 'the fail command');
    const call = fleet.calls()[0]!;
    expect(call.slice(0, 9)).toEqual([
      'backlog',
      'fail',
      '--id',
      'c1',
      '--owner',
      'w0@host#1',
      '--fence',
      '2',
      '--reason',
    ]);
    expect(call).toHaveLength(10);
    expect(call[9]).toMatch(/^git add: fatal: not a git repository/);
    expect(p.text()).toContain('[stub] git failed for c1: git add: fatal:');
  });
});

describe('--review', () => {
  const reviewPrompt = (round: number) =>
    [
      '[fleet task r1] Review c1',
      `Review card c1 "Add greeting" by w0, round ${round}: branch fleet/c1 into main of repo app.`,
      'See the change: fleet review show c1',
      'Or with git: git -C /tmp/app diff main...fleet/c1',
      'Approve: fleet review approve c1',
      'Request changes: fleet review request-changes c1 --comment "<what to change>"',
      'Answer with one of them, then report this review card done.',
      'When done, run:',
      'fleet backlog complete --id r1 --owner reviewer0@host#1 --fence 4',
      'If you cannot finish, run:',
      'fleet backlog fail --id r1 --owner reviewer0@host#1 --fence 4 --reason "<why>"',
    ].join('\n');
  const done = ['backlog', 'complete', '--id', 'r1', '--owner', 'reviewer0@host#1', '--fence', '4'];

  it('changes-once asks for changes in round 1 and approves in round 2', async () => {
    const fleet = fakeFleet();
    const p = startStub([], { MOSAIC_STUB_REVIEW: 'changes-once', MOSAIC_FLEET_BIN: fleet.bin });
    await prompted(p);
    p.paste(reviewPrompt(1));
    await until(() => fleet.calls().length === 2, 'the round 1 verdict and completion');
    expect(fleet.calls()).toEqual([
      ['review', 'request-changes', 'c1', '--comment', 'please add a review line'],
      done,
    ]);
    expect(p.text()).toContain('[stub] review c1 round 1: request-changes (exit 0)');

    p.paste(reviewPrompt(2));
    await until(() => fleet.calls().length === 4, 'the round 2 verdict and completion');
    expect(fleet.calls().slice(2)).toEqual([['review', 'approve', 'c1'], done]);
    expect(p.text()).toContain('[stub] review c1 round 2: approve (exit 0)');
  });

  it('approve approves in round 1', async () => {
    const fleet = fakeFleet();
    const p = startStub(['--review', 'approve'], { MOSAIC_FLEET_BIN: fleet.bin });
    await prompted(p);
    p.paste(reviewPrompt(1));
    await until(() => fleet.calls().length === 2, 'the verdict and completion');
    expect(fleet.calls()).toEqual([['review', 'approve', 'c1'], done]);
  });
});
