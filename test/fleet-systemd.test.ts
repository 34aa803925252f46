import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { testFleet, type TestFleet } from './support/tmux-fleet.js';

let f: TestFleet | undefined;
afterEach(() => f?.cleanup());

describe('fleet install-systemd', () => {
  it('renders units for this fleet that systemd-analyze accepts', async () => {
    f = testFleet([{ name: 'a' }]);
    const r = await f.run(['install-systemd', '--dry-run']);
    expect(r.code).toBe(0);
    const parts = r.stdout.split(/^--- (.+)$/m).slice(1);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mf-units-'));
    const files: string[] = [];
    for (let i = 0; i < parts.length; i += 2) {
      const file = path.join(dir, path.basename(parts[i]!));
      writeFileSync(file, parts[i + 1]!.trimStart());
      files.push(file);
    }
    expect(files.map((x) => path.basename(x))).toEqual([
      `mosaic-fleet-tmux-${f.socket}.service`,
      `mosaic-fleetd-${f.socket}.service`,
    ]);
    const runtime = mkdtempSync(path.join(os.tmpdir(), 'mf-xdg-'));
    const v = spawnSync('systemd-analyze', ['--user', 'verify', ...files], {
      env: { ...process.env, XDG_RUNTIME_DIR: runtime },
      encoding: 'utf8',
    });
    expect(v.stderr).toBe('');
    expect(v.status).toBe(0);
    expect(parts[1]).toContain(`Environment=FLEET_HOME=${f.home}`);
    expect(parts[1]).toContain(`Environment=TMUX_TMPDIR=${f.tmpdir}`);
  });

  it('fleet ps checks boot enablement at most once a minute, and again after install-systemd', async () => {
    f = testFleet([{ name: 'a' }]);
    // stand-ins for systemctl and loginctl that count their calls (systemd is not PID 1 here)
    const bin = mkdtempSync(path.join(os.tmpdir(), 'mf-bin-'));
    const log = path.join(bin, 'calls.log');
    for (const tool of ['systemctl', 'loginctl'])
      writeFileSync(
        path.join(bin, tool),
        `#!/bin/sh\necho "${tool} $*" >> '${log}'\necho enabled\nexit 0\n`,
        { mode: 0o755 },
      );
    const env = { PATH: `${bin}:${process.env.PATH}` };
    const calls = () =>
      existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').filter(Boolean) : [];
    expect((await f.run(['ps', '--json'], env)).code).toBe(0);
    expect(calls()).toHaveLength(3);
    expect((await f.run(['ps', '--json'], env)).code).toBe(0);
    expect(calls()).toHaveLength(3);
    const unitDir = mkdtempSync(path.join(os.tmpdir(), 'mf-units-'));
    expect((await f.run(['install-systemd', '--unit-dir', unitDir], env)).code).toBe(0);
    const afterInstall = calls().length;
    expect((await f.run(['ps', '--json'], env)).code).toBe(0);
    expect(calls().length).toBe(afterInstall + 3);
    rmSync(bin, { recursive: true, force: true });
    rmSync(unitDir, { recursive: true, force: true });
  });
});
