/** Real repositories in temp dirs for the git adapter's tests (not shipped code). */
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { it } from 'vitest';
import { execFileRunner } from '../runner.js';
import { COMMIT_CONFIG, Git } from './git.js';
import type { MergeInput } from './merge.js';
import { listWorktrees } from './worktrees.js';

export const git = new Git({ runner: execFileRunner });

/** file name → contents; null deletes the file */
export type Files = Record<string, string | null>;

export interface Fixture {
  root: string;
  /** a bare repository standing in for the forge */
  origin: string;
  /** a clone of origin: the repository under test, `main` checked out unless detached */
  repo: string;
  cleanup(): void;
}

let clock = 1_700_000_000;

/** A path for fast-import: C-quoted, so spaces, quotes and newlines survive. */
const quote = (p: string): string => JSON.stringify(p);

const data = (s: string): string => `data ${Buffer.byteLength(s)}\n${s}\n`;

/**
 * One commit on `ref` from `from` (a commit-ish; omitted for a root commit) in a single
 * `git fast-import` call, with no worktree: spawning git is the cost of these tests, and a
 * worktree, add and commit would take five calls. Each commit gets its own timestamp, so equal
 * trees and messages still make distinct commits.
 */
export async function fastCommit(
  repo: string,
  ref: string,
  files: Files,
  message: string,
  from?: string,
): Promise<string> {
  clock += 60;
  let s = `commit ${ref}\nmark :1\ncommitter Test <t@localhost> ${clock} +0000\n${data(message)}`;
  if (from) s += `from ${from}\n`;
  for (const [name, content] of Object.entries(files))
    s +=
      content === null ? `D ${quote(name)}\n` : `M 100644 inline ${quote(name)}\n${data(content)}`;
  s += `get-mark :1\n`;
  // unpackLimit 0 keeps the (tiny) pack: exploding it to loose objects spawns one more git
  const args = ['-c', 'fastimport.unpackLimit=0', 'fast-import', '--quiet', '--force'];
  const out = await git.run(repo, [...args, '--cat-blob-fd=1'], s);
  return out.trim();
}

const templates = new Map<boolean, Promise<string>>();

/** origin.git with one commit on main, and a clone of it, built once per test file. */
async function template(detached: boolean): Promise<string> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'mf-git-template-'));
  const origin = path.join(root, 'origin.git');
  const repo = path.join(root, 'repo');
  await git.run(root, ['init', '--quiet', '--bare', '--initial-branch=main', '--', origin]);
  const files = { 'README.md': 'hello\n', 'src/a.txt': 'one\ntwo\nthree\n' };
  await fastCommit(origin, 'refs/heads/main', files, 'initial');
  const noCheckout = detached ? ['--no-checkout'] : [];
  await git.run(root, ['clone', '--quiet', ...noCheckout, '--', origin, repo]);
  if (detached) await git.run(repo, ['checkout', '--quiet', '--detach', 'main']);
  return root;
}

/** Remove the templates; each test file calls it after all its tests. */
export async function removeTemplates(): Promise<void> {
  for (const made of templates.values()) rmSync(await made, { recursive: true, force: true });
  templates.clear();
}

/**
 * A test's own origin.git (bare, one commit on main) and a clone of it as the repository under
 * test, `main` checked out unless `detached`. Copied from a template made once, with the clone's
 * remote URL pointed at the copy: spawning git is what these tests spend their time on.
 */
export async function makeRepo(opts: { detached?: boolean } = {}): Promise<Fixture> {
  const detached = opts.detached ?? false;
  let made = templates.get(detached);
  if (!made) templates.set(detached, (made = template(detached)));
  const from = await made;
  const root = mkdtempSync(path.join(os.tmpdir(), 'mf-git-'));
  cpSync(from, root, { recursive: true });
  const config = path.join(root, 'repo', '.git', 'config');
  writeFileSync(config, readFileSync(config, 'utf8').replaceAll(from, root));
  const cleanup = (): void => rmSync(root, { recursive: true, force: true });
  return { root, origin: path.join(root, 'origin.git'), repo: path.join(root, 'repo'), cleanup };
}

/** New branch `branch` from `from` with one commit of `files`. */
export function branchWith(
  f: Fixture,
  branch: string,
  files: Files,
  message: string,
  from = 'main',
): Promise<string> {
  return fastCommit(f.repo, `refs/heads/${branch}`, files, message, `refs/heads/${from}^0`);
}

/** One more commit of `files` on existing local branch `branch`. */
export function commitOn(
  f: Fixture,
  branch: string,
  files: Files,
  message: string,
): Promise<string> {
  return fastCommit(f.repo, `refs/heads/${branch}`, files, message, `refs/heads/${branch}^0`);
}

/** Write `files` in worktree `dir`, stage everything and commit there; returns the new commit. */
export async function commit(dir: string, files: Files, message: string): Promise<string> {
  for (const [name, content] of Object.entries(files)) {
    const p = path.join(dir, name);
    if (content === null) rmSync(p);
    else {
      mkdirSync(path.dirname(p), { recursive: true });
      writeFileSync(p, content);
    }
  }
  await git.run(dir, ['add', '--all']);
  await git.run(dir, [...COMMIT_CONFIG, 'commit', '--quiet', '-m', message]);
  return (await git.run(dir, ['rev-parse', 'HEAD'])).trim();
}

/** Subjects of `ref`'s first-parent history, newest first. */
export async function subjects(repo: string, ref: string): Promise<string[]> {
  const out = await git.run(repo, ['log', '--first-parent', '--format=%s', ref, '--']);
  return out.trim().split('\n');
}

/** Where the merge tests put the scratch worktree: a name a shell would expand. */
export const scratchDir = (f: Fixture): string => path.join(f.root, 'scratch $(x)');

/** A squash of `branch` into main, with a scratch dir, and whatever `over` changes. */
export const mergeInput = (
  f: Fixture,
  over: Partial<MergeInput> & Pick<MergeInput, 'branch'>,
): MergeInput => ({
  repo: f.repo,
  base: 'main',
  strategy: 'squash',
  scratchDir: scratchDir(f),
  message: `merge ${over.branch}`,
  ...over,
});

/** What a merge may have left behind: worktrees besides the main one, and the scratch dir. */
export async function leftovers(f: Fixture): Promise<string[]> {
  const extra = (await listWorktrees(git, f.repo)).filter((w) => !w.main).map((w) => w.path);
  if (existsSync(scratchDir(f))) extra.push(scratchDir(f));
  return [...new Set(extra)];
}

/**
 * `it` with a fixture of its own: `test('…', async ({ f }) => …)` gets a fresh repository
 * (`main` checked out) and removes it afterwards, so tests can run concurrently: each git call
 * waits on a process, and two of them keep both cores of a small machine busy.
 */
export const test = it.extend<{ f: Fixture }>({
  // eslint-disable-next-line no-empty-pattern -- vitest reads a fixture's dependencies from it
  f: async ({}, use) => {
    const f = await makeRepo();
    await use(f);
    f.cleanup();
  },
});

/** The same with `main` not checked out anywhere, as in the fleet's own clone. */
export const detachedTest = it.extend<{ f: Fixture }>({
  // eslint-disable-next-line no-empty-pattern -- vitest reads a fixture's dependencies from it
  f: async ({}, use) => {
    const f = await makeRepo({ detached: true });
    await use(f);
    f.cleanup();
  },
});
