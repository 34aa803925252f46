import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fleetHome } from '../home.js';
import { readLaunchState, writeLaunchState } from '../run/launch-state.js';
import { parseRoster } from '../roster/load.js';
import { recordingRunner, type RunOptions } from '../runner.js';
import { Tmux } from '../tmux/client.js';
import type { FleetDeps } from '../fleet/deps.js';
import { fleetDown, fleetUp, fleetVerify } from './lifecycle.js';

const ROSTER = `version: 2
tmux: { socket_name: s1 }
defaults: { working_directory: ${os.tmpdir()} }
agents:
  - { name: orch, runtime: stub, class: orchestrator }
  - { name: enh, runtime: stub, class: enhancer }
  - { name: off, runtime: stub, class: implementer, enabled: false }
  - { name: far, runtime: stub, class: implementer, host: elsewhere }
`;

function deps(
  panes: string,
  respond?: (argv: readonly string[], o: RunOptions) => object | undefined,
) {
  const home = fleetHome(mkdtempSync(path.join(os.tmpdir(), 'mf-lc-')));
  const runner = recordingRunner(
    (argv, o) =>
      respond?.(argv, o) ?? (argv.includes('list-panes') ? { stdout: panes } : undefined),
  );
  const d: FleetDeps = {
    home,
    loaded: parseRoster(ROSTER, 'roster.yaml'),
    tmux: new Tmux({ socket: { name: 's1' }, runner }),
    host: 'h1',
    env: { PATH: '/usr/bin:/bin' },
    nodePath: process.execPath,
    now: () => 1_700_000_000_000,
    sleep: async () => {},
    log: () => {},
  };
  return { d, runner };
}

const row = (name: string, dead = '0') =>
  `${name}\t0\t0\t42\t${dead}\t\t1700000000\t1\t0\t0\t1\tstub\tnode\n`;
const commands = (runner: ReturnType<typeof recordingRunner>) =>
  runner.calls.map((c) => c.argv.slice(5).join(' '));

describe('fleet up / down / verify', () => {
  it('starts only what is missing and leaves live sessions alone', async () => {
    const { d, runner } = deps(row('orch') + row('_holder'));
    const r = await fleetUp(d, { staggerMs: 10 });
    expect(r).toEqual({
      started: ['enh'],
      restarted: [],
      running: ['orch'],
      skipped: [
        { name: 'off', why: 'enabled: false' },
        { name: 'far', why: 'runs on host elsewhere' },
      ],
      failed: [],
    });
    const newSessions = commands(runner).filter((c) => c.startsWith('new-session'));
    expect(newSessions).toHaveLength(1);
    expect(newSessions[0]).toMatch(
      /^new-session -d -s enh .* -- \/bin\/sh -c umask [0-7]{4}; exec "\$@" sh \/usr\/bin\/env -i .*MOSAIC_AGENT_EPOCH=1 .*stub\/agent\.mjs --contract-file \S+\/run\/enh\.contract\.md --session-id [0-9a-f-]{36} ; .*@mosaic_epoch 1 ; set-option -t =enh: @mosaic_runtime stub$/,
    );
    expect(readLaunchState(d.home, 'enh')).toMatchObject({
      epoch: 1,
      restarts: 0,
      stopped: false,
      runtime: 'stub',
    });
  });

  it('replaces a dead pane and counts a crash as a restart', async () => {
    const { d, runner } = deps(row('orch', '1') + row('_holder'));
    writeLaunchState(d.home, 'orch', {
      epoch: 3,
      restarts: 1,
      startedAt: null,
      stopped: false,
      runtime: 'stub',
    });
    writeLaunchState(d.home, 'enh', {
      epoch: 2,
      restarts: 0,
      startedAt: null,
      stopped: false,
      runtime: 'stub',
    });
    const r = await fleetUp(d, { staggerMs: 0 });
    expect(r.restarted).toEqual(['orch', 'enh']);
    expect(commands(runner)).toContain('kill-session -t =orch');
    expect(readLaunchState(d.home, 'orch')).toMatchObject({ epoch: 4, restarts: 2 });
  });

  it('after down, up is a fresh start, not a restart', async () => {
    const { d, runner } = deps(row('_holder'));
    writeLaunchState(d.home, 'orch', {
      epoch: 3,
      restarts: 1,
      startedAt: null,
      stopped: false,
      runtime: 'stub',
    });
    const down = await fleetDown(d, {});
    expect(down.stopped).toEqual(['orch', 'enh', 'off']);
    expect(commands(runner).filter((c) => c.startsWith('kill'))).toEqual([
      'kill-session -t =orch',
      'kill-session -t =enh',
      'kill-session -t =off',
    ]);
    const up = await fleetUp(d, { staggerMs: 0 });
    expect(up.started).toEqual(['orch', 'enh']);
    expect(readLaunchState(d.home, 'orch')).toMatchObject({ epoch: 4, restarts: 1 });
  });

  it('verify reports missing, dead and unmanaged sessions', async () => {
    const { d } = deps(row('orch', '1') + row('_holder') + row('stray'));
    expect(await fleetVerify(d)).toMatchObject({
      ok: false,
      server: true,
      holder: true,
      running: [],
      missing: ['enh'],
      dead: ['orch'],
      unmanaged: ['stray'],
      skipped: ['off', 'far'],
    });
  });

  it('reports a launch failure per agent and goes on with the others', async () => {
    const { d } = deps(row('_holder'), (argv) =>
      argv.includes('new-session') && argv.includes('orch')
        ? { exitCode: 1, stderr: 'create window failed' }
        : undefined,
    );
    const r = await fleetUp(d, { staggerMs: 0 });
    expect(r.failed).toEqual([
      { name: 'orch', error: expect.stringMatching(/create window failed/) },
    ]);
    expect(r.started).toEqual(['enh']);
  });
});
