// `fleet ps --json` with 50 stub agents next to a bare `tmux list-panes -a` measured in the
// same run, and `fleet up` of 50 agents. Prints figures and ratios; passes/fails on nothing.
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { gatherPs } from '../lib/ops/snapshot.js';
import { fleetHome } from '../lib/home.js';
import { loadRoster } from '../lib/roster/load.js';
import { execFileRunner } from '../lib/runner.js';
import { tmuxClientEnv } from '../lib/tmux/argv.js';
import { Tmux } from '../lib/tmux/client.js';
import { ms, percentile, ratio, timeIt } from './stats.js';
import { FLEET_BIN as FLEET } from '../test/support/fleet-cli.js';

const run = promisify(execFile);
const AGENTS = 50;

function roster(socket: string, home: string): string {
  const lines = [
    'version: 2',
    `tmux: { socket_name: ${socket} }`,
    `defaults: { working_directory: ${JSON.stringify(home)} }`,
    'agents:',
  ];
  for (let i = 0; i < AGENTS; i++) {
    const cls = i === 0 ? 'orchestrator' : i === 1 ? 'enhancer' : 'implementer';
    lines.push(`  - { name: a${String(i).padStart(2, '0')}, runtime: stub, class: ${cls} }`);
  }
  return lines.join('\n') + '\n';
}

export default async function (): Promise<void> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'mf-bench-'));
  const home = path.join(work, 'home');
  const tmpdir = path.join(work, 't');
  mkdirSync(home, { recursive: true });
  mkdirSync(tmpdir, { recursive: true });
  const socket = `mf-bench-${process.pid}`;
  writeFileSync(path.join(home, 'roster.yaml'), roster(socket, home));
  const env: NodeJS.ProcessEnv = { ...process.env, FLEET_HOME: home, TMUX_TMPDIR: tmpdir };
  delete env.TMUX;
  delete env.TMUX_PANE;
  const fleet = (...args: string[]) =>
    run(process.execPath, [FLEET, ...args], { env, maxBuffer: 64 * 1024 * 1024 });
  const tmux = (...args: string[]) => run('tmux', ['-L', socket, ...args], { env });
  const median = (xs: number[]) => percentile(xs, 50);
  try {
    const [up0] = await timeIt(() => fleet('up', '--stagger', '0'), 1);
    const panes = (await tmux('list-panes', '-a', '-F', '#{session_name}')).stdout
      .trim()
      .split('\n').length;
    // let every stub write its first heartbeat
    await new Promise((r) => setTimeout(r, 3000));
    await fleet('ps', '--json'); // warm the page cache
    const bare = await timeIt(
      () =>
        tmux(
          'list-panes',
          '-a',
          '-F',
          '#{session_name}\t#{pane_pid}\t#{pane_dead}\t#{window_activity}\t#{@mosaic_epoch}\t#{pane_current_command}',
        ),
      30,
    );
    const nodeStart = await timeIt(() => run(process.execPath, ['-e', '0']), 10);
    const ps = await timeIt(() => fleet('ps', '--json'), 10);
    const rows = (JSON.parse((await fleet('ps', '--json')).stdout) as { agents: unknown[] }).agents
      .length;
    // the same rows in-process, as fleetd and the web panel get them (no CLI start-up)
    const fh = fleetHome(home);
    const loaded = loadRoster(fh.roster);
    const deps = {
      home: fh,
      loaded,
      tmux: new Tmux({ socket: { name: socket }, runner: execFileRunner, env: tmuxClientEnv(env) }),
      host: os.hostname(),
      env,
      nodePath: process.execPath,
      now: () => Date.now(),
      sleep: (n: number) => new Promise<void>((r) => setTimeout(r, n)),
      log: () => {},
    };
    const inProc = await timeIt(() => gatherPs(deps), 30);

    await fleet('down');
    const [upStaggered] = await timeIt(() => fleet('up'), 1);

    console.log(
      `agents: ${AGENTS} stub agents (${panes - 1} sessions + placeholder), ps rows: ${rows}`,
    );
    console.log(
      `bare tmux list-panes -a      median ${ms(median(bare))}  p95 ${ms(percentile(bare, 95))}  (baseline)`,
    );
    console.log(
      `node -e 0 (process start)    median ${ms(median(nodeStart))}  ${ratio(median(nodeStart), median(bare))}`,
    );
    console.log(
      `psRows in-process (lib)      median ${ms(median(inProc))}  p95 ${ms(percentile(inProc, 95))}  ${ratio(median(inProc), median(bare))} of bare list-panes`,
    );
    console.log(
      `fleet ps --json (50 agents)  median ${ms(median(ps))}  p95 ${ms(percentile(ps, 95))}  ${ratio(median(ps), median(bare))} of bare list-panes`,
    );
    console.log(
      `fleet up, 50 agents, --stagger 0    ${ms(up0!)}  (${ms(up0! / AGENTS)} per agent)`,
    );
    console.log(
      `fleet up, 50 agents, default stagger ${ms(upStaggered!)}  (250 ms between starts)`,
    );
  } finally {
    try {
      execFileSync('tmux', ['-L', socket, 'kill-server'], { env, stdio: 'ignore' });
    } catch {
      // no server left
    }
    rmSync(work, { recursive: true, force: true });
  }
}
