import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
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
});
