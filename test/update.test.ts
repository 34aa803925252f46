import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { authUser } from '../lib/store/auth-schema.js';
import { FLEET_BIN, ROOT } from './support/fleet-cli.js';
import { FLOOR, supervisedHarnesses, type Harness } from './support/supervised.js';
import { until } from './support/tmux-fleet.js';

/**
 * `fleet update` (docs/operations.md "Update") on a FLEET_HOME an operator has made their own,
 * with fleetd's supervisor and stub agents in real tmux. systemd is not PID 1 here: the units
 * live in a directory the test names, and `systemctl` is a stand-in on PATH that records its
 * argv (test/reboot/ boots a real systemd). The harness step runs real npm in a network
 * namespace without network.
 */
const harnesses = supervisedHarnesses();
const temps: string[] = [];
afterEach(async (ctx) => {
  await harnesses.closeAll(ctx.task.result?.state === 'fail');
  for (const t of temps.splice(0)) rmSync(t, { recursive: true, force: true });
});
const temp = (prefix: string) => {
  const d = mkdtempSync(path.join(os.tmpdir(), prefix));
  temps.push(d);
  return d;
};

/** sha256 of every file the operator owns in FLEET_HOME (the fleet's own dirs left out). */
function userFiles(home: string): Record<string, string> {
  const skip = new Set(['framework', 'run', 'db', 'stub-sessions', 'worktrees']);
  const out: Record<string, string> = {};
  const walk = (dir: string, rel: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (!rel && skip.has(e.name)) continue;
      if (e.isDirectory()) walk(path.join(dir, e.name), r);
      else if (e.isFile())
        out[r] = createHash('sha256')
          .update(readFileSync(path.join(dir, e.name)))
          .digest('hex');
    }
  };
  walk(home, '');
  return out;
}

function customise(h: Harness): void {
  const home = h.fleet.home;
  writeFileSync(
    path.join(home, 'roster.yaml'),
    readFileSync(path.join(home, 'roster.yaml'), 'utf8') + '# my own note, kept as written\n',
  );
  for (const [rel, text] of [
    ['profiles/mine.yaml', 'id: mine\n'],
    ['overlays/_all.md', 'Always write tests.\n'],
    ['overlays/orch.md', 'You are in charge.\n'],
    ['agents/orch.env', 'MY_VAR=1\n'],
    ['fleetd.env', 'FLEET_PANEL_URL=http://panel.invalid\n'],
    ['NORTH_STAR.yaml.bak', 'kept\n'],
  ] as const) {
    mkdirSync(path.dirname(path.join(home, rel)), { recursive: true });
    writeFileSync(path.join(home, rel), text, { mode: 0o600 });
  }
  // an override of a shipped role, as an operator would write one
  const shipped = readFileSync(path.join(ROOT, 'framework', 'roles', 'board.md'), 'utf8');
  mkdirSync(path.join(home, 'roles'), { recursive: true });
  writeFileSync(path.join(home, 'roles', 'board.md'), `${shipped}\nDo it my way.\n`);
}

/** The units `install-systemd` renders now, and old ones written where it would put them. */
async function oldUnits(h: Harness, unitDir: string): Promise<Record<string, string>> {
  const dry = await h.fleet.run(['install-systemd', '--dry-run', '--unit-dir', unitDir]);
  expect(dry.code).toBe(0);
  const parts = dry.stdout.split(/^--- (.+)$/m).slice(1);
  const fresh: Record<string, string> = {};
  for (let i = 0; i < parts.length; i += 2) {
    const file = parts[i]!;
    // a rendered unit ends with one newline; the dry run adds a line break of its own
    const text = parts[i + 1]!.replace(/^\n/, '').trimEnd() + '\n';
    fresh[file] = text;
    // as an older release rendered them: another CLI path, no EnvironmentFile line
    const old = text
      .replace(/ExecStart=\S+ \S+/, 'ExecStart=/usr/bin/node /opt/old-fleet/fleet.mjs')
      .replace(/^EnvironmentFile=.*\n/m, '');
    writeFileSync(file, old, { mode: 0o644 });
  }
  return fresh;
}

/** A `systemctl` that records what it was asked and succeeds. */
function fakeSystemctl(): { bin: string; log: string } {
  const bin = temp('mf-bin-');
  const log = path.join(bin, 'systemctl.log');
  writeFileSync(path.join(bin, 'systemctl'), `#!/bin/sh\necho "$*" >> '${log}'\nexit 0\n`, {
    mode: 0o755,
  });
  return { bin, log };
}

describe('fleet update', () => {
  it('drains, reseeds, rewrites the units, relaunches on the conversations and resumes; what the operator owns is byte-identical', async () => {
    const h = await harnesses.start(FLOOR);
    const f = h.fleet;
    await until(() => {
      try {
        return f.capture('orch').includes('[stub] conversation ');
      } catch {
        return false;
      }
    }, 'orch up');
    customise(h);
    // cards and an account in the store
    await h.client.backlog.create({ id: 'keep1', title: 'kept card', body: 'plain' });
    await h.client.backlog.create({ id: 'keep2', title: 'its child', depends_on: ['keep1'] });
    await h.fleetd.services.store.db
      .insert(authUser)
      .values({ id: 'u1', name: 'Op', email: 'op@fleet.invalid' });
    const cardsBefore = (await h.client.backlog.list({})).cards.map((c) => [
      c.id,
      c.title,
      c.status,
    ]);
    const unitDir = temp('mf-units-');
    const fresh = await oldUnits(h, unitDir);
    // something stale in the seeded copy, which a reseed replaces
    mkdirSync(path.join(f.home, 'framework'), { recursive: true });
    writeFileSync(path.join(f.home, 'framework', 'stale-from-an-old-release.txt'), 'old\n');
    const { bin, log } = fakeSystemctl();
    const env = { PATH: `${bin}:${process.env.PATH}` };
    const before = userFiles(f.home);

    // the plan changes nothing
    const dry = await f.run(['update', '--relaunch', '--dry-run', '--unit-dir', unitDir], env);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/^update 1\/5 drain: PAUSE as a drain, wait up to 600 s/m);
    expect(dry.stdout).toMatch(/^update 2\/5 reseed: copy \S+framework to \S+framework/m);
    expect(dry.stdout).toMatch(/would rewrite .*mosaic-fleetd-.*\.service/);
    expect(dry.stdout).toMatch(/would run systemctl --user daemon-reload/);
    expect(dry.stdout).toMatch(
      /^update 4\/5 relaunch: restart orch, enh, each on its conversation/m,
    );
    expect(dry.stdout).toMatch(/^update 5\/5 resume: lift the drain/m);
    expect(existsSync(log)).toBe(false);
    expect(existsSync(path.join(f.home, 'framework', 'stale-from-an-old-release.txt'))).toBe(true);
    expect((await h.client.flags.pause()).paused).toBe(false);

    const r = await f.run(['update', '--relaunch', '--unit-dir', unitDir], env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^update 1\/5 drain: quiet after \d+\.\d s$/m);
    expect(r.stdout).toMatch(
      /^update 2\/5 reseed: \S+framework reseeded from \S+ \(\d+ files; your files untouched\)$/m,
    );
    expect(r.stdout).toMatch(/^update 3\/5 units:$/m);
    expect(r.stdout).toMatch(/rewrote .*mosaic-fleet-tmux-.*\.service/);
    expect(r.stdout).toMatch(/ran systemctl --user daemon-reload/);
    expect(r.stdout).toMatch(/^ {2}orch \(epoch 2, resumed conversation\)$/m);
    expect(r.stdout).toMatch(/^ {2}enh \(epoch 2, resumed conversation\)$/m);
    expect(r.stdout).toMatch(/^update 5\/5 resume: resumed: dispatch goes on$/m);
    expect(r.stdout).toMatch(/^update done in \d+\.\d s$/m);

    // everything the operator owns is byte for byte as it was (this home was never seeded: the
    // seed adds its README to the override folders, only where there is none)
    expect(userFiles(f.home)).toEqual({
      ...before,
      'roles/README.md': expect.any(String),
      'profiles/README.md': expect.any(String),
    });
    const cardsAfter = (await h.client.backlog.list({})).cards.map((c) => [
      c.id,
      c.title,
      c.status,
    ]);
    expect(cardsAfter).toEqual(cardsBefore);
    const users = await h.fleetd.services.store.db.select().from(authUser);
    expect(users.map((u) => u.email)).toEqual(['op@fleet.invalid']);
    // the units on disk are the current templates; systemd was told
    for (const [file, text] of Object.entries(fresh)) expect(readFileSync(file, 'utf8')).toBe(text);
    expect(readFileSync(log, 'utf8')).toBe('--user daemon-reload\n');
    expect(readdirSync(path.join(f.home, 'run', 'update-backup', 'units')).sort()).toEqual(
      Object.keys(fresh)
        .map((x) => path.basename(x))
        .sort(),
    );
    // the seeded copy is the shipped one again; the previous copy is kept for a roll back
    expect(existsSync(path.join(f.home, 'framework', 'stale-from-an-old-release.txt'))).toBe(false);
    expect(
      existsSync(
        path.join(f.home, 'run', 'update-backup', 'framework', 'stale-from-an-old-release.txt'),
      ),
    ).toBe(true);
    // the agents came back on their conversations; the fleet is not paused
    await until(() => f.capture('orch').includes('[stub] resumed conversation'), 'orch resumed');
    expect(await h.client.flags.pause()).toMatchObject({ paused: false, drain: false });

    // a second update finds the units current
    const again = await f.run(['update', '--no-reseed', '--unit-dir', unitDir], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/is up to date/);
    expect(readFileSync(log, 'utf8')).toBe('--user daemon-reload\n');
  });

  it('a plain PAUSE before the update is put back after it', async () => {
    const h = await harnesses.start(FLOOR);
    await h.fleet.run(['pause', '--reason', 'maintenance window']);
    const r = await h.fleet.run(['update', '--no-reseed', '--unit-dir', temp('mf-units-')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/not installed in \S+ \(fleet install-systemd installs them\)/);
    expect(r.stdout).toMatch(
      /left PAUSED as it was before the update \(by \S+: maintenance window\)/,
    );
    expect(await h.client.flags.pause()).toMatchObject({
      paused: true,
      drain: false,
      reason: 'maintenance window',
    });
  });

  it('without network the harness step fails clearly, changes nothing and the fleet is resumed', async () => {
    try {
      execFileSync('unshare', ['-n', 'true'], { stdio: 'ignore' });
    } catch {
      // the same run without a namespace would reach the registry: this case cannot be made here
      console.log('update without network: not run (unshare -n is not permitted here)');
      return;
    }
    // gemini as npm lays it out in a prefix: bin/gemini -> lib/node_modules/<pkg>/dist/index.js
    const prefix = temp('mf-prefix-');
    const pkgDir = path.join(prefix, 'lib', 'node_modules', '@google', 'gemini-cli');
    mkdirSync(path.join(pkgDir, 'dist'), { recursive: true });
    writeFileSync(
      path.join(pkgDir, 'package.json'),
      JSON.stringify({
        name: '@google/gemini-cli',
        version: '0.60.0',
        bin: { gemini: 'dist/index.js' },
      }),
    );
    const script = path.join(pkgDir, 'dist', 'index.js');
    writeFileSync(script, '#!/usr/bin/env node\nconsole.log("0.60.0")\n');
    chmodSync(script, 0o755);
    mkdirSync(path.join(prefix, 'bin'));
    symlinkSync(script, path.join(prefix, 'bin', 'gemini'));
    const h = await harnesses.start(
      [...FLOOR, { name: 'gem', runtime: 'gemini', class: 'worker', extra: 'enabled: false' }],
      { rosterExtra: `runtimes:\n  gemini:\n    bin_dir: ${path.join(prefix, 'bin')}\n` },
    );
    const r = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
      execFile(
        'unshare',
        [
          '-n',
          process.execPath,
          FLEET_BIN,
          'update',
          '--harnesses',
          '--no-reseed',
          '--unit-dir',
          temp('mf-units-'),
        ],
        {
          env: {
            ...process.env,
            ...h.fleet.env,
            FLEET_HOME: h.fleet.home,
            npm_config_fetch_retries: '0',
          },
          timeout: 120_000,
        },
        (err, stdout, stderr) =>
          resolve({
            code: err ? (typeof err.code === 'number' ? err.code : 1) : 0,
            stdout: String(stdout),
            stderr: String(stderr),
          }),
      ),
    );
    expect(r.stdout).toMatch(
      /^ {2}gemini: update failed: no network: could not reach the npm registry \(\S+\); 0\.60\.0 is still installed/m,
    );
    expect(r.stdout).toMatch(/^update: resumed: dispatch goes on$/m);
    expect(r.stdout).toMatch(
      /^update stopped at harnesses; the fleet is resumed\. Run fleet update --harnesses again once npm can reach its registry$/m,
    );
    expect(r.stderr).toMatch(/update stopped at harnesses: .*no network.*\(the fleet is resumed\)/);
    expect(r.code).not.toBe(0);
    expect(JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8')).version).toBe(
      '0.60.0',
    );
    expect(await h.client.flags.pause()).toMatchObject({ paused: false });
  });
});
