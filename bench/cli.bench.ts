// CLI start-up (docs/pitfalls.md "CLI start-up"): agents and their hooks call `fleet` on every
// card and every turn, so each call's cost is paid per agent. Each command loads only its own
// modules (cli/commands.ts). Figures beside `node -e 0` (and one `tmux list-panes -a`) measured
// in the same run; nothing passes or fails on a number.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { FleetdClient } from '../lib/client/fleetd.js';
import { fleetHome } from '../lib/home.js';
import { startFleetd } from '../server/fleetd.js';
import { freshStore, ms, percentile, ratio } from './stats.js';
import { FLEET_BIN as FLEET } from '../test/support/fleet-cli.js';

const run = promisify(execFile);

const RUNS = 15;

function timed(argv: string[], env: NodeJS.ProcessEnv): number {
  const t = process.hrtime.bigint();
  try {
    execFileSync(argv[0]!, argv.slice(1), { env, stdio: 'ignore' });
  } catch {
    // a command's exit code is not what is measured
  }
  return Number(process.hrtime.bigint() - t) / 1e6;
}

/** The same, without blocking this process: fleetd runs in it while these are timed. */
async function timedAsync(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const t = process.hrtime.bigint();
  await run(argv[0]!, argv.slice(1), { env }).catch(() => undefined);
  return Number(process.hrtime.bigint() - t) / 1e6;
}

async function medianOf(n: number, one: (i: number) => Promise<number>): Promise<number> {
  const xs: number[] = [];
  for (let i = 0; i < n; i++) xs.push(await one(i));
  return percentile(xs, 50);
}

const median = (argv: string[], env: NodeJS.ProcessEnv): number =>
  percentile(
    Array.from({ length: RUNS }, () => timed(argv, env)),
    50,
  );

export default async function bench(): Promise<void> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'mf-bench-cli-'));
  const socket = `mf-bench-cli-${process.pid}`;
  writeFileSync(
    path.join(home, 'roster.yaml'),
    `version: 2\ntmux: { socket_name: ${socket} }\nagents:\n  - { name: orch, class: orchestrator, runtime: stub }\n  - { name: enh, class: enhancer, runtime: stub }\n`,
  );
  const env = { ...process.env, FLEET_HOME: home, MOSAIC_AGENT_NAME: 'orch' };
  try {
    execFileSync('tmux', ['-L', socket, 'new-session', '-d', '-s', '_holder', 'sleep 600']);
    const node = median([process.execPath, '-e', '0'], env);
    const panes = median(['tmux', '-L', socket, 'list-panes', '-a'], env);
    const version = median([process.execPath, FLEET, '--version'], env);
    const ps = median([process.execPath, FLEET, 'ps', '--json'], env);
    const hook = median([process.execPath, FLEET, 'hook', 'codex', '{"type":"x"}'], env);
    const help = median([process.execPath, FLEET, '--help'], env);
    console.log(`node -e 0                      ${ms(node)} (median of ${RUNS})`);
    console.log(`tmux list-panes -a             ${ms(panes)}`);
    console.log(
      `fleet --version                ${ms(version)}   ${ratio(version, node)} node -e 0`,
    );
    console.log(
      `fleet ps --json                ${ms(ps)}   ${ratio(ps, node + panes)} (node -e 0 + one list-panes)`,
    );
    console.log(`fleet hook codex <payload>     ${ms(hook)}   ${ratio(hook, node)} node -e 0`);
    console.log(`fleet --help (loads every command) ${ms(help)}   ${ratio(help, node)} node -e 0`);

    // with fleetd running, as agents call the CLI: ps is answered by it (lib/ops/ps-view.ts);
    // a card's completion is one socket round trip
    await freshStore(fleetHome(home).dbDir);
    const fleetd = await startFleetd({ home: fleetHome(home), reapIntervalMs: 0 });
    const client = new FleetdClient(fleetHome(home));
    try {
      const rtt = await medianOf(RUNS * 4, async () => {
        const t = process.hrtime.bigint();
        await client.health();
        return Number(process.hrtime.bigint() - t) / 1e6;
      });
      // what fleetd takes to complete a card, asked from this process (not part of the target's
      // baseline, which is one bare round trip: printed to show where the time goes)
      const completeRtt = await medianOf(RUNS, async (i) => {
        const id = `rtt-${i}`;
        await client.backlog.create({ id, title: `rtt ${i}` });
        const c = await client.backlog.claim({ owner: 'orch', id });
        const t = process.hrtime.bigint();
        await client.backlog.complete({ id, owner: 'orch', fence: c.card!.fence });
        return Number(process.hrtime.bigint() - t) / 1e6;
      });
      // the baselines again, timed the same way and in turn with each command (a child awaited
      // by this process while its fleetd serves): a spawn awaited here costs more than one
      // timed with the process blocked, as the figures above are
      const nodeUp: number[] = [];
      const panesUp: number[] = [];
      const psUpRuns: number[] = [];
      const completeRuns: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        nodeUp.push(await timedAsync([process.execPath, '-e', '0'], env));
        panesUp.push(await timedAsync(['tmux', '-L', socket, 'list-panes', '-a'], env));
        psUpRuns.push(await timedAsync([process.execPath, FLEET, 'ps', '--json'], env));
        const id = `bench-${i}`;
        await client.backlog.create({ id, title: `bench ${i}` });
        const c = await client.backlog.claim({ owner: 'orch', id });
        if (!c.card) throw new Error(`bench: could not claim ${id}`);
        const argv = ['backlog', 'complete', '--id', id, '--owner', 'orch', '--fence'];
        completeRuns.push(
          await timedAsync([process.execPath, FLEET, ...argv, String(c.card.fence)], env),
        );
      }
      const [nodeA, panesA, psUp, complete] = [nodeUp, panesUp, psUpRuns, completeRuns].map((xs) =>
        percentile(xs, 50),
      ) as [number, number, number, number];
      console.log(
        `one socket round trip (health)  ${ms(rtt)}; a completion asked in-process ${ms(completeRtt)}`,
      );
      console.log(
        `node -e 0, awaited beside fleetd ${ms(nodeA)}; tmux list-panes -a ${ms(panesA)} (the baselines below)`,
      );
      console.log(
        `fleet ps --json, fleetd up     ${ms(psUp)}   ${ratio(psUp, nodeA + panesA)} (node -e 0 + one list-panes)`,
      );
      console.log(
        `fleet backlog complete         ${ms(complete)}   ${ratio(complete, nodeA + rtt)} (node -e 0 + one socket round trip)`,
      );
    } finally {
      client.close();
      await fleetd.stop();
    }
  } finally {
    try {
      execFileSync('tmux', ['-L', socket, 'kill-server'], { stdio: 'ignore' });
    } catch {
      // already gone
    }
    rmSync(home, { recursive: true, force: true });
  }
}
