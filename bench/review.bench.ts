// Repository cards through fleetd on real git (docs/review.md), in-process, no agents: a claim
// with the worktree it makes, a completion that goes to review (dirty check, commits ahead), and a
// merge gate pass that squashes one approved card (merge-tree, commit-tree, compare-and-swap,
// scratch-free) and cleans up. Baselines from the same run: `git worktree add -b` alone, and a
// squash by hand (`git merge --squash` + `git commit` in a worktree). Passes/fails on nothing.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FleetdClient } from '../lib/client/fleetd.js';
import { fleetHome } from '../lib/home.js';
import { startFleetd } from '../server/fleetd.js';
import { acceptanceGuard } from '../server/supervisor/component.js';
import { freshStore, ms, percentile, ratio } from './stats.js';

const SAMPLES = 10;
const ID = ['-c', 'user.name=bench', '-c', 'user.email=bench@localhost'];

export default async function (): Promise<void> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'mf-bench-review-'));
  const repo = path.join(root, 'repo');
  const git = (cwd: string, ...args: string[]) =>
    execFileSync('git', ['-C', cwd, ...ID, ...args], { encoding: 'utf8' });
  mkdirSync(repo);
  git(repo, 'init', '-q', '-b', 'main');
  writeFileSync(path.join(repo, 'README'), 'bench\n');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'initial');
  git(repo, 'checkout', '-q', '--detach');
  const home = fleetHome(path.join(root, 'fleet'));
  mkdirSync(home.root, { recursive: true });
  writeFileSync(
    home.roster,
    `version: 2\nagents:\n  - { name: orch, class: orchestrator, runtime: stub }\n  - { name: enh, class: enhancer, runtime: stub }\nrepos:\n  - { name: app, path: ${JSON.stringify(repo)}, base: main }\ndefault_repo: app\n`,
  );
  await freshStore(home.dbDir);
  const fleetd = await startFleetd({
    home,
    reapIntervalMs: 0,
    completionGuard: acceptanceGuard(home, () => undefined),
  });
  const client = new FleetdClient(home);
  const made: number[] = [];
  const submitted: number[] = [];
  const merged: number[] = [];
  const rawAdd: number[] = [];
  const rawSquash: number[] = [];
  try {
    for (let i = 0; i < SAMPLES; i++) {
      const id = `b${i}`;
      await client.backlog.create({ id, title: `bench ${i}` });
      let t = performance.now();
      const { card, place } = await client.backlog.claim({
        id,
        owner: 'w0@bench#1',
        ttl_seconds: 600,
      });
      made.push(performance.now() - t);
      if (!place) throw new Error(`${id}: no worktree`);
      writeFileSync(path.join(place.worktree, `${id}.txt`), `${id}\n`);
      git(place.worktree, 'add', '-A');
      git(place.worktree, 'commit', '-q', '-m', id);
      t = performance.now();
      await client.backlog.complete({ id, owner: 'w0@bench#1', fence: card!.fence });
      submitted.push(performance.now() - t);
      await client.review.approve({ id, by: 'bench' });
      t = performance.now();
      const pass = await fleetd.services.repoWork.gatePass([]);
      merged.push(performance.now() - t);
      if (!pass.merged.includes(id)) throw new Error(`${id} not merged: ${JSON.stringify(pass)}`);

      // the same by hand: a worktree on a new branch, one commit, squashed into a checkout of main
      const dir = path.join(root, `raw-${i}`);
      t = performance.now();
      git(repo, 'worktree', 'add', '-q', '-b', `raw/${i}`, dir, 'main');
      rawAdd.push(performance.now() - t);
      writeFileSync(path.join(dir, `raw-${i}.txt`), `${i}\n`);
      git(dir, 'add', '-A');
      git(dir, 'commit', '-q', '-m', `raw ${i}`);
      const main = path.join(root, `main-${i}`);
      git(repo, 'worktree', 'add', '-q', main, 'main');
      t = performance.now();
      git(main, 'merge', '-q', '--squash', `raw/${i}`);
      git(main, 'commit', '-q', '-m', `raw ${i}`);
      rawSquash.push(performance.now() - t);
      git(repo, 'worktree', 'remove', main);
      git(repo, 'worktree', 'remove', '--force', dir);
    }
    const p = (xs: number[], q: number) => percentile(xs, q);
    const line = (label: string, xs: number[], base?: number[]) =>
      console.log(
        `${label.padEnd(52)} p50 ${ms(p(xs, 50))}  p95 ${ms(p(xs, 95))}${base ? `   (${ratio(p(xs, 50), p(base, 50))} of baseline p50)` : '   (baseline)'}`,
      );
    line('git worktree add -b (by hand)', rawAdd);
    line('claim with its worktree (checks + add)', made, rawAdd);
    line('complete → review (dirty, ahead, route)', submitted, rawAdd);
    line('git merge --squash + commit (by hand)', rawSquash);
    line('merge gate pass: squash, CAS, clean up', merged, rawSquash);
    console.log(`(${SAMPLES} cards, no acceptance check, embedded store)`);
  } finally {
    client.close();
    await fleetd.stop();
    rmSync(root, { recursive: true, force: true });
  }
}
