/**
 * fleetd writes the heartbeat of an agent whose runtime writes none, from its screen, with no
 * process of its own per agent (docs/runtimes.md "Heartbeats"). The agent here is a roster
 * `command` (a shell loop that draws an aider-like screen from a file the test writes) in a
 * real tmux pane, supervised by fleetd in this process.
 */
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readHeartbeat, writeHeartbeat } from '@/lib/run/heartbeat.js';
import { readLaunchState, writeLaunchState } from '@/lib/run/launch-state.js';
import { fleetHome } from '@/lib/home.js';
import type { FleetPs } from '@/lib/ops/snapshot.js';
import { FLOOR, supervisedHarnesses } from './support/supervised.js';
import { until } from './support/tmux-fleet.js';

const harnesses = supervisedHarnesses();
afterEach((ctx) => harnesses.closeAll(ctx.task.result?.state === 'fail'));

// redraws the whole screen from $FLEET_HOME/screen every 0.2 s; input is read and dropped
const SCREEN_LOOP =
  'cat >/dev/null & while :; do printf "\\033[2J\\033[H%s\\n" "$(cat "$FLEET_HOME/screen")"; sleep 0.2; done';

/** The parent pid of a process, from /proc/<pid>/stat; null when it is gone. */
function ppid(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
}

/**
 * Processes that carry this FLEET_HOME in their environment and are not in the tmux server's
 * tree (the agents' panes): what the launcher left running beside the agents.
 */
function processesBesideAgents(homeRoot: string, tmuxServer: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    let env: string;
    try {
      env = readFileSync(`/proc/${pid}/environ`, 'utf8');
    } catch {
      continue;
    }
    if (!env.split('\0').includes(`FLEET_HOME=${homeRoot}`)) continue;
    let p: number | null = pid;
    while (p && p > 1 && p !== tmuxServer) p = ppid(p);
    if (p !== tmuxServer) out.push(pid);
  }
  return out;
}

/** An aider seat running a shell loop that prints the file `screen`: no heartbeat of its own. */
const SCREEN_AGENT = {
  name: 'scr',
  class: 'worker',
  runtime: 'aider',
  extra: `command: ${JSON.stringify(['/bin/sh', '-c', SCREEN_LOOP])}`,
};

describe('the screen heartbeat in fleetd', () => {
  it('writes a command agent’s heartbeat from its screen, busy and idle, never a stale epoch, with no process per agent', async () => {
    const h = await harnesses.start([...FLOOR, SCREEN_AGENT]);
    const home = fleetHome(h.fleet.home);
    const screen = path.join(h.fleet.home, 'screen');
    writeFileSync(screen, 'aider v0\n> ');
    const ps = () => h.fleet.json<FleetPs>(['ps']);
    const scr = async () => (await ps()).agents.find((r) => r.name === 'scr')!;

    // idle on screen: fleetd's heartbeat says so, with the pane's pid and epoch
    const first = await until(() => {
      const hb = readHeartbeat(home, 'scr');
      return hb?.src === 'fleetd' && hb.status === 'idle' && hb;
    }, 'a heartbeat from fleetd');
    expect(first.pid).toBe(h.fleet.panePid('scr'));
    expect(first.epoch).toBe(readLaunchState(home, 'scr').epoch);
    await until(async () => (await scr()).readiness === 'available', 'scr available');
    expect(await scr()).toMatchObject({ heartbeat_by: 'fleetd', heartbeat_status: 'idle' });

    // the screen changes, the heartbeat follows
    writeFileSync(screen, 'Waiting for the model to answer');
    await until(() => readHeartbeat(home, 'scr')?.status === 'busy', 'busy from the screen');
    await until(async () => (await scr()).readiness === 'working', 'scr working');
    writeFileSync(screen, 'done\n> ');
    await until(() => readHeartbeat(home, 'scr')?.status === 'idle', 'idle again');

    // no process of its own: once the first-message contract is given, nothing with this
    // FLEET_HOME runs outside the agents' panes
    await until(
      () => !existsSync(home.agentRunFile('scr', 'contract-owed')),
      'contract given',
      60_000,
    );
    const server = Number(h.fleet.tmux(['display-message', '-p', '#{pid}']).trim());
    await until(
      () => processesBesideAgents(h.fleet.home, server).length === 0,
      'no process beside the agents',
    );
    expect(processesBesideAgents(h.fleet.home, server)).toEqual([]);

    // a start under way (its epoch recorded, its pane not there yet): the old pane's
    // heartbeat is not written again
    const launch = readLaunchState(home, 'scr');
    const before = readHeartbeat(home, 'scr')!;
    writeLaunchState(home, 'scr', { ...launch, epoch: launch.epoch + 1 });
    await new Promise((r) => setTimeout(r, 3_000));
    expect(readHeartbeat(home, 'scr')!.ts).toBeLessThanOrEqual(before.ts + 1_100);
    const held = readHeartbeat(home, 'scr')!;
    await new Promise((r) => setTimeout(r, 2_000));
    expect(readHeartbeat(home, 'scr')).toEqual(held);
    writeLaunchState(home, 'scr', launch);
    await until(() => readHeartbeat(home, 'scr')!.ts > held.ts, 'written again');

    // a heartbeat of a newer incarnation is never overwritten with the pane's older epoch
    const newer = { ts: Date.now(), pid: 1, status: 'busy' as const, epoch: launch.epoch + 5 };
    writeHeartbeat(home, 'scr', { ...newer, src: 'self' });
    await new Promise((r) => setTimeout(r, 3_000));
    expect(readHeartbeat(home, 'scr')).toMatchObject(newer);
  });

  it('without fleetd, ps calls a screen-read agent unknown and says why, not dead', async () => {
    const h = await harnesses.start([...FLOOR, SCREEN_AGENT]);
    writeFileSync(path.join(h.fleet.home, 'screen'), '> ');
    const home = fleetHome(h.fleet.home);
    await until(() => readHeartbeat(home, 'scr')?.status === 'idle', 'idle from fleetd');
    await h.fleetd.stop();

    const r = await h.fleet.run(['ps']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^scr\s.*\salive\s.*\sunknown\s/m);
    expect(r.stdout).toContain(
      'fleetd is not running: it reads the screens of scr for their heartbeats, so their readiness is unknown',
    );
    const ps = await h.fleet.json<FleetPs>(['ps']);
    expect(ps.fleetd_pid).toBeNull();
    expect(ps.agents.find((a) => a.name === 'scr')).toMatchObject({
      session: 'alive',
      readiness: 'unknown',
      heartbeat_by: 'fleetd',
    });
    // the stubs write their own heartbeats: they do not need fleetd
    expect(ps.agents.find((a) => a.name === 'orch')).toMatchObject({
      heartbeat_by: 'runtime',
      readiness: 'available',
    });
    // a send that waits for idle looks at the screen itself, by fleetd's rule: it is typed at
    // once rather than kept for an idle point that no heartbeat would ever show
    const sent = await h.fleet.run([
      'agent',
      'send',
      'scr',
      'hello',
      '--when-idle',
      '--wait',
      '0',
      '--json',
    ]);
    const receipt = JSON.parse(sent.stdout) as { verdict: string; detail: string };
    expect(receipt.verdict).not.toBe('queued');
  });
});
