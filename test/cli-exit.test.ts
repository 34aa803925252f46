/**
 * How the built `fleet` ends: quietly with its own exit code when the reader of its output goes
 * away early (`fleet ps | head -1`), and with the README's codes for a conflict (4).
 */
import { execFile, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetHome } from '../lib/home.js';
import { FLEET_BIN } from './support/fleet-cli.js';
import { runFleetCli, spawnFleetd, tempHome, type Proc } from './support/fleetd.js';
import { testFleet, type TestFleet } from './support/tmux-fleet.js';

describe('a reader that stops early', () => {
  let f: TestFleet;

  beforeAll(async () => {
    f = testFleet([{ name: 'orch' }, { name: 'enh' }, { name: 'w1', class: 'worker' }]);
    const up = await f.run(['up', '--stagger', '0']);
    expect(up.code, up.stderr).toBe(0);
  });
  afterAll(() => f.cleanup());

  const env = () => ({ ...process.env, ...f.env, FLEET_HOME: f.home });

  it('`fleet ps | head -1` exits 0 with nothing on stderr', async () => {
    // pipefail: the status is fleet's own, not head's
    const script = 'set -o pipefail; "$0" "$1" ps | head -1';
    for (let i = 0; i < 3; i++) {
      const r = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
        execFile(
          'bash',
          ['-c', script, process.execPath, FLEET_BIN],
          { env: env() },
          (err, stdout, stderr) =>
            resolve({ code: err ? Number(err.code) : 0, stdout, stderr: String(stderr) }),
        ),
      );
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^socket \S+ · host /);
    }
  });

  it('every write after the pipe closed is dropped: exit 0, no stack, for ps and ps --json', async () => {
    for (const args of [['ps'], ['ps', '--json'], ['status']]) {
      // the read end is closed before fleet writes anything, so its first write fails (EPIPE)
      const child = spawn(process.execPath, [FLEET_BIN, ...args], {
        env: env(),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout.destroy();
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
      const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
      expect(stderr, args.join(' ')).toBe('');
      expect(code, args.join(' ')).toBe(0);
    }
  });
});

describe('exit codes', () => {
  let home: FleetHome;
  let cleanup: () => void;
  let fleetd: Proc;

  beforeAll(async () => {
    ({ home, cleanup } = tempHome({ seeded: true }));
    fleetd = await spawnFleetd(home);
  });
  afterAll(async () => {
    fleetd.child.kill('SIGTERM');
    await fleetd.exited;
    cleanup();
  });

  it('`fleet user create` for an existing email exits 4 (conflict/exists) with one line', async () => {
    const create = async () => {
      const p = runFleetCli(['user', 'create', '--email', 'op@fleet.example'], {
        FLEET_HOME: home.root,
        FLEET_USER_PASSWORD: 'a long enough password 1',
      });
      return { code: await p.exited, stdout: p.stdout.join('\n'), stderr: p.stderr };
    };
    const first = await create();
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toBe('created operator op@fleet.example');
    const again = await create();
    expect(again.code).toBe(4);
    expect(again.stderr).toBe('fleet: a user with email op@fleet.example already exists\n');
  });
});
