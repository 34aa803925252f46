import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, chmodSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { recordingRunner } from '../runner.js';
import { bootStatus, bootWarning, installSystemd, uninstallSystemd } from './systemctl.js';
import { renderUnits, unitNames, unitWord } from './units.js';

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'mf-sd-'));

function units(dir: string) {
  // systemd-analyze checks that ExecStart programs exist and are executable
  const cli = path.join(dir, 'fleet.mjs');
  writeFileSync(cli, '#!/usr/bin/env node\n');
  chmodSync(cli, 0o755);
  return renderUnits({
    socket: 'mosaic-fleet',
    home: path.join(dir, 'home with space'),
    fleetArgv: [process.execPath, cli],
    pathValue: '/usr/bin:/bin',
    tmuxTmpdir: '/tmp/t%1',
  });
}

describe('systemd units', () => {
  it('renders a tmux unit and a fleetd unit with Restart=always', () => {
    const [tmux, fleetd] = units(tmp());
    expect(tmux!.name).toBe('mosaic-fleet-tmux.service');
    expect(tmux!.text).toMatch(/^ExecStart=\S+ \S+fleet\.mjs tmux start$/m);
    expect(tmux!.text).toMatch(/^RemainAfterExit=yes$/m);
    expect(fleetd!.name).toBe('mosaic-fleetd.service');
    expect(fleetd!.text).toMatch(/^ExecStart=\S+ \S+fleet\.mjs serve$/m);
    expect(fleetd!.text).toMatch(/^Restart=always$/m);
    expect(fleetd!.text).toMatch(/^After=mosaic-fleet-tmux\.service$/m);
    expect(tmux!.text).toContain('Environment="FLEET_HOME=');
    expect(tmux!.text).toContain('Environment=TMUX_TMPDIR=/tmp/t%%1');
    expect(fleetd!.text).toMatch(/^EnvironmentFile=-\/.* with space\/fleetd\.env$/m);
    expect(tmux!.text).not.toContain('EnvironmentFile');
  });

  it('names units per socket so two fleets do not collide', () => {
    expect(unitNames('other')).toEqual({
      tmux: 'mosaic-fleet-tmux-other.service',
      fleetd: 'mosaic-fleetd-other.service',
    });
  });

  it('escapes specifiers, variables and quotes', () => {
    expect(unitWord('/a b/%h/$HOME/"q"')).toBe('"/a b/%%h/$$HOME/\\"q\\""');
  });

  it('passes systemd-analyze verify without a warning', () => {
    const dir = tmp();
    const runtime = path.join(dir, 'xdg');
    execFileSync('mkdir', ['-m', '700', runtime]);
    const files = units(dir).map((u) => {
      const f = path.join(dir, u.name);
      writeFileSync(f, u.text);
      return f;
    });
    const r = spawnSync('systemd-analyze', ['--user', 'verify', ...files], {
      env: { ...process.env, XDG_RUNTIME_DIR: runtime },
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('installs: writes the units, reloads, enables (and starts) them, enables linger', async () => {
    const dir = tmp();
    const runner = recordingRunner();
    const r = await installSystemd({
      runner,
      unitDir: dir,
      units: units(dir),
      user: 'ops',
      start: true,
    });
    expect(runner.calls.map((c) => c.argv)).toEqual([
      ['loginctl', 'show-user', 'ops', '--property=Linger', '--value'],
      ['systemctl', '--user', 'daemon-reload'],
      [
        'systemctl',
        '--user',
        'enable',
        '--now',
        'mosaic-fleet-tmux.service',
        'mosaic-fleetd.service',
      ],
      ['loginctl', 'enable-linger', 'ops'],
    ]);
    expect(readFileSync(r.written[0]!, 'utf8')).toContain('tmux start');
  });

  it('does not ask for linger that is on (polkit refuses that without a login session)', async () => {
    const dir = tmp();
    const runner = recordingRunner((argv) =>
      argv[1] === 'show-user' ? { stdout: 'yes\n' } : undefined,
    );
    const r = await installSystemd({
      runner,
      unitDir: dir,
      units: units(dir),
      user: 'ops',
      start: false,
    });
    expect(r.commands.map((c) => c.join(' '))).toEqual([
      'systemctl --user daemon-reload',
      'systemctl --user enable mosaic-fleet-tmux.service mosaic-fleetd.service',
    ]);
    expect(runner.calls.some((c) => c.argv.includes('enable-linger'))).toBe(false);
  });

  it('stops on the first failing command with its argv', async () => {
    const dir = tmp();
    const runner = recordingRunner((argv) =>
      argv[2] === 'enable' ? { exitCode: 1, stderr: 'Failed to connect to bus' } : undefined,
    );
    await expect(
      installSystemd({ runner, unitDir: dir, units: units(dir), user: 'ops', start: false }),
    ).rejects.toThrow(
      /systemctl --user enable mosaic-fleet-tmux.service mosaic-fleetd.service exited 1: Failed to connect to bus/,
    );
    // the linger question, the reload, the failing enable; nothing after it
    expect(runner.calls).toHaveLength(3);
  });

  it('uninstalls: disables and stops, removes the files, reloads; linger only when asked', async () => {
    const dir = tmp();
    await installSystemd({
      runner: recordingRunner(),
      unitDir: dir,
      units: units(dir),
      user: 'ops',
      start: false,
    });
    const runner = recordingRunner();
    await uninstallSystemd({
      runner,
      unitDir: dir,
      names: ['mosaic-fleetd.service', 'mosaic-fleet-tmux.service'],
      user: 'ops',
      disableLinger: true,
    });
    expect(runner.calls.map((c) => c.argv)).toEqual([
      [
        'systemctl',
        '--user',
        'disable',
        '--now',
        'mosaic-fleetd.service',
        'mosaic-fleet-tmux.service',
      ],
      ['systemctl', '--user', 'daemon-reload'],
      ['loginctl', 'disable-linger', 'ops'],
    ]);
    expect(existsSync(path.join(dir, 'mosaic-fleetd.service'))).toBe(false);
  });

  it('reports boot enablement and linger', async () => {
    const runner = recordingRunner((argv) =>
      argv[2] === 'is-enabled'
        ? {
            stdout: argv[3]!.includes('fleetd') ? 'disabled\n' : 'enabled\n',
            exitCode: argv[3]!.includes('fleetd') ? 1 : 0,
          }
        : { stdout: 'no\n' },
    );
    const b = await bootStatus(runner, unitNames('mosaic-fleet'), 'ops');
    expect(runner.calls.map((c) => c.argv)).toEqual([
      ['systemctl', '--user', 'is-enabled', 'mosaic-fleet-tmux.service'],
      ['systemctl', '--user', 'is-enabled', 'mosaic-fleetd.service'],
      ['loginctl', 'show-user', 'ops', '--property=Linger', '--value'],
    ]);
    expect(b.linger).toBe('no');
    expect(b.warning).toMatch(/not enabled: mosaic-fleetd.service.*linger is off/);
  });

  it('says unknown, not fine, when systemd cannot be asked', () => {
    expect(bootWarning([{ name: 'u', state: 'unknown' }], 'unknown')).toMatch(/unknown/);
    expect(bootWarning([{ name: 'u', state: 'enabled' }], 'yes')).toBeNull();
  });
});
