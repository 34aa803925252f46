// Long runs (docs/operations.md): what a restart on the recorded conversation costs next to a
// fresh one, and what a drain of an idle fleet costs next to a plain pause, each beside its
// baseline measured in the same run (a bare tmux kill + new session; `fleet pause`). Stub
// agents in real tmux, fleetd detached on the embedded store. Prints figures; passes nothing.
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freshStore, ms, percentile, ratio, timeIt } from './stats.js';
import { FLEET_BIN as FLEET } from '../test/support/fleet-cli.js';

const run = promisify(execFile);
const RUNS = 8;

export default async function (): Promise<void> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'mf-bench-resume-'));
  const home = path.join(work, 'home');
  const tmpdir = path.join(work, 't');
  mkdirSync(home, { recursive: true });
  mkdirSync(tmpdir, { recursive: true });
  const socket = `mf-bench-resume-${process.pid}`;
  writeFileSync(
    path.join(home, 'roster.yaml'),
    [
      'version: 2',
      `tmux: { socket_name: ${socket} }`,
      `defaults: { working_directory: ${JSON.stringify(home)}, heartbeat_interval_seconds: 1 }`,
      'agents:',
      '  - { name: orch, runtime: stub, class: orchestrator }',
      '  - { name: enh, runtime: stub, class: enhancer }',
      '',
    ].join('\n'),
  );
  await freshStore(path.join(home, 'db'));
  const env: NodeJS.ProcessEnv = { ...process.env, FLEET_HOME: home, TMUX_TMPDIR: tmpdir };
  delete env.TMUX;
  delete env.TMUX_PANE;
  const fleet = (...args: string[]) => run(process.execPath, [FLEET, ...args], { env });
  const tmux = (...args: string[]) => run('tmux', ['-L', socket, ...args], { env });
  const screen = async () => (await tmux('capture-pane', '-p', '-t', '=orch:')).stdout;
  /** from the command to the runtime on its conversation (`seen` on the screen) */
  const untilSeen = async (seen: RegExp) => {
    for (let i = 0; i < 400; i++) {
      if (seen.test(await screen().catch(() => ''))) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`not seen: ${seen}`);
  };
  const median = (xs: number[]) => percentile(xs, 50);
  try {
    await fleet('up', '--stagger', '0');
    await untilSeen(/\[stub\] conversation /);
    await fleet('agent', 'send', 'orch', '--verify', '--', 'something to keep');
    const resumed = await timeIt(async () => {
      await fleet('restart', 'orch');
      await untilSeen(/\[stub\] resumed conversation/);
    }, RUNS);
    const fresh = await timeIt(async () => {
      await fleet('restart', 'orch', '--fresh');
      await untilSeen(/\[stub\] conversation [0-9a-f-]{36}/);
    }, RUNS);
    const bare = await timeIt(async () => {
      await tmux('new-session', '-d', '-s', 'bare', 'sleep 60');
      await tmux('kill-session', '-t', '=bare');
    }, RUNS);
    console.log(
      `restart, resumed conversation  median ${ms(median(resumed))}  ${ratio(median(resumed), median(bare))} bare tmux new+kill`,
    );
    console.log(
      `restart, fresh conversation    median ${ms(median(fresh))}  ${ratio(median(fresh), median(bare))}`,
    );
    console.log(`bare tmux new-session + kill   median ${ms(median(bare))} (${RUNS} runs each)`);

    await fleet('serve', '--detach', '--no-web', '--tick', '1000');
    const pause = await timeIt(async () => {
      await fleet('pause', '--reason', 'bench');
      await fleet('resume');
    }, 5);
    const drain = await timeIt(async () => {
      await fleet('drain', '--timeout', '60');
      await fleet('resume');
    }, 5);
    console.log(
      `drain of an idle fleet to quiet + resume  median ${ms(median(drain))}  ${ratio(median(drain), median(pause))} pause + resume`,
    );
    console.log(
      `pause + resume                            median ${ms(median(pause))} (5 runs each, tick 1 s)`,
    );
  } finally {
    try {
      const pid = Number(readFileSync(path.join(home, 'run', 'fleetd.pid'), 'utf8').trim());
      if (pid > 0) process.kill(pid, 'SIGTERM');
      await new Promise((r) => setTimeout(r, 1500));
    } catch {
      // fleetd was not started
    }
    try {
      execFileSync('tmux', ['-L', socket, 'kill-server'], { env, stdio: 'ignore' });
    } catch {
      // no server
    }
    rmSync(work, { recursive: true, force: true });
  }
}
