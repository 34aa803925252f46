import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FleetPs } from '../lib/ops/snapshot.js';
import { STUB, alive, testFleet, until, type TestFleet } from './support/tmux-fleet.js';

let fleets: TestFleet[] = [];
const fleet = (...a: Parameters<typeof testFleet>) => {
  const f = testFleet(...a);
  fleets.push(f);
  return f;
};
afterEach(() => {
  for (const f of fleets) f.cleanup();
  fleets = [];
});

const row = (ps: FleetPs, name: string) => ps.agents.find((r) => r.name === name)!;

describe('fleet lifecycle on a real tmux server', () => {
  it('up is idempotent, verify and ps tell the truth, restart bumps the epoch, down stops only agents', async () => {
    const f = fleet([{ name: 'orch' }, { name: 'enh' }]);
    const up = await f.run(['up', '--stagger', '100']);
    expect(up.code).toBe(0);
    expect(up.stdout).toMatch(/started\s+orch[\s\S]*started\s+enh/);
    const again = await f.run(['up']);
    expect(again.stdout).toMatch(
      /running\s+orch \(left alone\)[\s\S]*running\s+enh \(left alone\)/,
    );
    expect(f.tmux(['list-sessions', '-F', '#{session_name}']).trim().split('\n').sort()).toEqual([
      '_holder',
      'enh',
      'orch',
    ]);

    const verify = await f.run(['verify']);
    expect(verify.code).toBe(0);
    expect(verify.stdout).toContain('verify: ok');

    const ps = await until(async () => {
      const p = await f.json<FleetPs>(['ps']);
      return p.agents.every((r) => r.readiness === 'available') && p;
    }, 'both agents available');
    expect(ps).toMatchObject({ tenant_id: 'test-tenant', host: os.hostname(), socket: f.socket });
    expect(row(ps, 'orch')).toMatchObject({
      tenant_id: 'test-tenant',
      host: os.hostname(),
      runtime: 'stub',
      session: 'alive',
      health: 'healthy',
      drift: false,
      detected_runtime: 'stub',
      epoch: 1,
      restarts: 0,
      pane_pid: f.panePid('orch'),
    });
    expect(typeof row(ps, 'orch').last_output_age_s).toBe('number');

    const oldPid = f.panePid('enh');
    const restart = await f.run(['restart', 'enh']);
    expect(restart.stdout).toContain('restarted enh (epoch 2');
    await until(() => !alive(oldPid), 'old enh process gone');
    const after = await until(async () => {
      const p = await f.json<FleetPs>(['ps']);
      return row(p, 'enh').readiness === 'available' && p;
    }, 'restarted enh available');
    expect(row(after, 'enh')).toMatchObject({ epoch: 2, restarts: 1 });
    expect(row(after, 'enh').pane_pid).not.toBe(oldPid);
    expect(row(after, 'orch')).toMatchObject({ epoch: 1, pane_pid: f.panePid('orch') });

    const status = await f.run(['status']);
    expect(status.stdout).toMatch(/agents: 2\/2 alive/);

    const down = await f.run(['down']);
    expect(down.stdout).toMatch(/stopped orch\s+stopped enh/);
    // the placeholder keeps the server alive for the next `up`
    expect(f.tmux(['list-sessions', '-F', '#{session_name}']).trim()).toBe('_holder');
    const failed = await f.run(['verify']);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/MISSING\s+orch[\s\S]*MISSING\s+enh[\s\S]*verify: FAILED/);
    const fresh = await f.run(['up', '--stagger', '0']);
    expect(fresh.stdout).toMatch(/started\s+orch/); // after down: a start, not a restart
  });

  it('never touches another server: the default socket of its TMUX_TMPDIR or another named socket', async () => {
    const f = fleet([{ name: 'orch' }]);
    // the server a bare `tmux` would reach with this TMUX_TMPDIR, addressed explicitly with -S
    const defaultSock = path.join(f.tmpdir, `tmux-${os.userInfo().uid}`, 'default');
    mkdirSync(path.dirname(defaultSock), { recursive: true, mode: 0o700 });
    const other = `${f.socket}-other`;
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, TMUX_TMPDIR: f.tmpdir };
    const t = (args: string[]) =>
      execFileSync('tmux', args, { env, encoding: 'utf8', timeout: 10_000 });
    t([
      '-S',
      defaultSock,
      '-f',
      '/dev/null',
      'new-session',
      '-d',
      '-s',
      'orch',
      '-x',
      '80',
      '-y',
      '10',
      '--',
      'sleep',
      '600',
    ]);
    t([
      '-L',
      other,
      '-f',
      '/dev/null',
      'new-session',
      '-d',
      '-s',
      'orch',
      '-x',
      '80',
      '-y',
      '10',
      '--',
      'sleep',
      '600',
    ]);
    const before = [
      t(['-S', defaultSock, 'list-panes', '-a', '-F', '#{session_name} #{pane_pid}']),
      t(['-L', other, 'list-panes', '-a', '-F', '#{session_name} #{pane_pid}']),
    ];
    try {
      // a same-named session elsewhere does not count as the agent's session
      const verify = await f.run(['verify']);
      expect(verify.code).toBe(1);
      expect(verify.stdout).toContain('MISSING  orch');
      expect((await f.run(['up'])).stdout).toMatch(/started\s+orch/);
      expect((await f.run(['restart'])).code).toBe(0);
      expect((await f.run(['down', '--kill-server'])).stdout).toContain('tmux server stopped');
      expect([
        t(['-S', defaultSock, 'list-panes', '-a', '-F', '#{session_name} #{pane_pid}']),
        t(['-L', other, 'list-panes', '-a', '-F', '#{session_name} #{pane_pid}']),
      ]).toEqual(before);
    } finally {
      t(['-S', defaultSock, 'kill-server']);
      t(['-L', other, 'kill-server']);
    }
  });

  it('shows a killed pane as dead on the next ps, a crash with its exit status, and up restarts it', async () => {
    const f = fleet([
      { name: 'orch' },
      { name: 'crashy', env: { MOSAIC_STUB_CRASH_ON_START: '1' } },
    ]);
    await f.run(['up', '--stagger', '0']);
    const pid = f.panePid('orch');
    await until(async () => {
      const p = await f.json<FleetPs>(['ps']);
      return row(p, 'orch').readiness === 'available' && row(p, 'crashy').session === 'dead';
    }, 'orch available and crashy crashed');
    process.kill(pid, 'SIGKILL');
    await until(() => !alive(pid), `orch process ${pid} gone`);
    const ps = await f.json<FleetPs>(['ps']);
    expect(row(ps, 'orch')).toMatchObject({
      session: 'dead',
      readiness: 'dead',
      exit_status: null,
    });
    expect(row(ps, 'crashy')).toMatchObject({ session: 'dead', readiness: 'dead' });
    // tmux marks a pane dead when its pty closes and learns the exit status when it reaps the
    // process; on 3.3a that reaping is sometimes late (the process stays a zombie), so the
    // status may still be unknown here — but never a wrong one
    expect([2, null]).toContain(row(ps, 'crashy').exit_status);
    const tail = await f.run(['agent', 'tail', 'crashy', '-n', '60']);
    expect(tail.stdout).toContain('[stub] crashing on start');
    // tmux prints "Pane is dead (status N …)" only once it has reaped the process (see above)
    if (row(ps, 'crashy').exit_status !== null) expect(tail.stdout).toMatch(/Pane is dead/);

    const up = await f.run(['up', '--stagger', '0']);
    expect(up.stdout).toMatch(/restarted orch[\s\S]*restarted crashy/);
    const back = await until(async () => {
      const p = await f.json<FleetPs>(['ps']);
      return row(p, 'orch').readiness === 'available' && p;
    }, 'orch back');
    expect(row(back, 'orch')).toMatchObject({ epoch: 2, restarts: 1 });
  });

  it('reads working, waiting and stale from the heartbeat', async () => {
    const f = fleet([
      { name: 'orch' },
      { name: 'enh' },
      { name: 'hung', class: 'implementer', env: { MOSAIC_STUB_HANG: '1' } },
    ]);
    await f.run(['up', '--stagger', '0']);
    await until(
      async () => row(await f.json<FleetPs>(['ps']), 'enh').readiness === 'available',
      'enh available',
    );
    expect((await f.run(['agent', 'send', 'orch', '--verify', '--', 'task t1 30'])).code).toBe(0);
    expect((await f.run(['agent', 'send', 'enh', '--verify', '--', 'ask may I?'])).code).toBe(0);
    const ps = await until(async () => {
      const p = await f.json<FleetPs>(['ps']);
      return row(p, 'hung').readiness === 'stale' && p;
    }, 'hung agent stale');
    expect(row(ps, 'orch')).toMatchObject({ readiness: 'working', heartbeat_status: 'busy' });
    expect(row(ps, 'enh')).toMatchObject({ readiness: 'waiting', heartbeat_status: 'waiting' });
    expect(row(ps, 'hung')).toMatchObject({ session: 'alive', health: 'stale' });
  });

  it('flags drift and gives agents an allowlisted env only', async () => {
    const home0 = fleet([{ name: 'x' }]).home; // a scratch dir for the fake runtime
    const bin = path.join(home0, 'bin');
    mkdirSync(bin);
    // "pi" on this host is really the stub: the roster says pi, the pane runs something else
    writeFileSync(path.join(bin, 'pi'), `#!/bin/sh\nexec "${process.execPath}" "${STUB}" "$@"\n`);
    chmodSync(path.join(bin, 'pi'), 0o755);
    const f = fleet([{ name: 'orch' }, { name: 'canary-pi', runtime: 'pi' }], {
      rosterExtra: `runtimes:\n  pi: { bin_dir: ${JSON.stringify(bin)} }\n`,
    });
    const up = await f.run(['up', '--stagger', '0'], {
      DATABASE_URL: 'postgres://u:secret@db/x',
      BETTER_AUTH_SECRET: 'shh',
    });
    expect(up.code).toBe(0);
    const ps = await until(async () => {
      const p = await f.json<FleetPs>(['ps']);
      return row(p, 'canary-pi').drift !== null && p;
    }, 'canary-pi running');
    expect(row(ps, 'canary-pi')).toMatchObject({
      runtime: 'pi',
      drift: true,
      detected_runtime: 'stub',
    });
    expect(row(ps, 'orch')).toMatchObject({ drift: false });

    const environ = readFileSync(`/proc/${f.panePid('orch')}/environ`, 'utf8').split('\0');
    const keys = environ.map((e) => e.slice(0, e.indexOf('=')));
    expect(keys).not.toContain('DATABASE_URL');
    expect(keys).not.toContain('BETTER_AUTH_SECRET');
    expect(keys).not.toContain('TMUX');
    expect(keys).not.toContain('TMUX_PANE');
    expect(environ).toContain('MOSAIC_AGENT_EPOCH=1');
    expect(environ).toContain('MOSAIC_AGENT_NAME=orch');
    // run/bin (the `fleet` shim for reporting), then node's own dir, first on PATH
    expect(environ.find((e) => e.startsWith('PATH='))).toMatch(
      new RegExp(`^PATH=${path.join(f.home, 'run', 'bin')}:${path.dirname(process.execPath)}`),
    );
    expect(
      readFileSync(`/proc/${f.panePid('canary-pi')}/environ`, 'utf8')
        .split('\0')
        .find((e) => e.startsWith('PATH=')),
    ).toMatch(`PATH=${bin}:`);
    // the pane's process is the runtime itself: no shell, no env wrapper left behind
    expect(
      readFileSync(`/proc/${f.panePid('orch')}/cmdline`, 'utf8')
        .split('\0')
        .slice(0, 2),
    ).toEqual([process.execPath, STUB]);
  });
});
