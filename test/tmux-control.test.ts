/**
 * fleetd's tmux control client (lib/tmux/control.ts, docs/pitfalls.md "tmux control mode"),
 * against a real tmux server on a socket of its own: every call it carries answers as the same
 * call run as its own tmux process would, hostile text reaches a pane byte for byte as it does
 * the usual way, a pane showing reply-like lines desynchronises nothing, and a server that goes
 * away and comes back costs only the calls made meanwhile their own process.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileRunner, type Runner } from '@/lib/runner.js';
import { tmuxClientEnv } from '@/lib/tmux/argv.js';
import { Tmux } from '@/lib/tmux/client.js';
import { ControlClient, useTmuxControl } from '@/lib/tmux/control.js';
import { startSupervised } from './support/supervised.js';
import { testFleet, until } from './support/tmux-fleet.js';

const HOLDER = 'mf-holder';
const dir = mkdtempSync(path.join(os.tmpdir(), 'mf-ctl-'));
const socket = `mf-test-ctl-${process.pid}`;
const env = tmuxClientEnv({ ...process.env, TMUX_TMPDIR: dir });
const raw = (...args: string[]) =>
  execFileSync('tmux', ['-L', socket, '-f', '/dev/null', ...args], { env, encoding: 'utf8' });

/** Counts the tmux processes this test starts, to tell the two paths apart. */
let spawned = 0;
const counting: Runner = (argv, opts) => {
  spawned++;
  return execFileRunner(argv, opts);
};
const plain = new Tmux({ socket: { name: socket }, runner: counting, env });
const viaControl = new Tmux({ socket: { name: socket }, runner: counting, env, holder: HOLDER });

// a pane that writes every byte it reads to a file: what was typed, exactly
const RECORDER = `process.stdin.setRawMode(true);
process.stdin.on('data', (d) => require('fs').appendFileSync(process.argv[2], d));
`;
const recorder = (name: string) => {
  const file = path.join(dir, `${name}.bytes`);
  const script = path.join(dir, 'recorder.cjs');
  writeFileSync(script, RECORDER);
  raw('new-session', '-d', '-s', name, '-x', '120', '-y', '20', process.execPath, script, file);
  return file;
};

/** Wait until the control client is attached: a read made through it starts no process. */
async function controlUp(): Promise<void> {
  await until(async () => {
    const before = spawned;
    await viaControl.listPanes();
    return spawned === before;
  }, 'the control client attached');
}

describe('tmux control client', () => {
  let release = () => {};
  beforeAll(() => {
    raw('new-session', '-d', '-s', HOLDER, '-x', '80', '-y', '10', 'sleep', '100000');
    release = useTmuxControl({});
  });
  afterAll(() => {
    release();
    try {
      raw('kill-server');
    } catch {
      // already gone
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers reads exactly as a tmux process does', async () => {
    raw(
      'new-session',
      '-d',
      '-s',
      'scr',
      '-x',
      '100',
      '-y',
      '12',
      'sh',
      '-c',
      'printf "a\\\\b\\tc é 日本 \\033[31mred\\033[0m\\n%%end 1 2 1\\n%%begin 1 2 1\\n"; sleep 100000',
    );
    await controlUp();
    await until(() => raw('capture-pane', '-p', '-t', '=scr:').includes('%begin'), 'screen drawn');
    const reads = async (t: Tmux) =>
      [
        await t.view('scr'),
        await t.listPanes(),
        await t.capture('scr', 50),
        await t.hasSession('scr'),
      ] as const;
    const before = spawned;
    const [v1, p1, c1, s1] = await reads(viaControl);
    expect(spawned).toBe(before);
    const [v2, p2, c2, s2] = await reads(plain);
    expect(v1).toEqual(v2);
    expect(p1).toEqual(p2);
    expect(c1).toBe(c2);
    expect(s1).toBe(s2);
    expect(c1).toContain('%end 1 2 1');
    // many views in one call, and a missing session reported as tmux reports it
    expect(await viaControl.viewMany(['scr', HOLDER])).toEqual(
      await plain.viewMany(['scr', HOLDER]),
    );
    expect(await viaControl.hasSession('nosuch')).toBe(false);
    const e1 = await viaControl.exec([
      ['display-message', '-p', 'x'],
      ['capture-pane', '-p', '-t', '=nosuch:'],
      ['display-message', '-p', 'y'],
    ]);
    const e2 = await plain.exec([
      ['display-message', '-p', 'x'],
      ['capture-pane', '-p', '-t', '=nosuch:'],
      ['display-message', '-p', 'y'],
    ]);
    expect(e1).toEqual(e2);
    expect(e1.exitCode).toBe(1);
    expect(e1.stderr).toMatch(/can't find session/);
  });

  it('types hostile text byte for byte as the usual way does', async () => {
    await controlUp();
    const texts = [
      '$(touch /tmp/pwned) `id` ${HOME} ~ ; \\; {x} %if #{pane_id} "q" \'s\' \\',
      'C-c Enter \x1b[31mred\x1b[0m \x7f é 日本 🙂',
      `line one\nline two\n\ttabbed\n${'x'.repeat(2000)}`,
    ];
    const a = recorder('rec-a');
    const b = recorder('rec-b');
    await until(() => raw('list-panes', '-a').split('\n').length >= 4, 'recorders up');
    await new Promise((r) => setTimeout(r, 300)); // node in raw mode
    for (const t of texts) {
      await viaControl.sendLiteral('rec-a', t);
      await plain.sendLiteral('rec-b', t);
      await viaControl.paste('rec-a', t);
      await plain.paste('rec-b', t);
    }
    await until(
      () =>
        existsSync(b) &&
        existsSync(a) &&
        readFileSync(a).length === readFileSync(b).length &&
        readFileSync(b).length > 4000,
      'both recorded',
    );
    expect(readFileSync(a).equals(readFileSync(b))).toBe(true);
    expect(readFileSync(a, 'utf8')).toContain('$(touch /tmp/pwned)');
    // a text too long for one control line is loaded from stdin by its own tmux process (the
    // paste itself is a short line), and arrives whole
    const big = 'y'.repeat(100_000);
    const before = spawned;
    await viaControl.paste('rec-a', big);
    expect(spawned).toBe(before + 1);
    await until(() => readFileSync(a, 'utf8').endsWith(big), 'the large paste arrived');
  });

  it('survives the server going away and comes back with it', async () => {
    await controlUp();
    raw('kill-server');
    // calls meanwhile run as their own process and say what tmux says
    expect(await viaControl.listPanes()).toEqual([]);
    expect(await viaControl.hasSession(HOLDER)).toBe(false);
    raw('new-session', '-d', '-s', HOLDER, '-x', '80', '-y', '10', 'sleep', '100000');
    await controlUp();
    expect((await viaControl.listPanes()).map((p) => p.session)).toEqual([HOLDER]);
  });
});

describe('fleetd', () => {
  it('reads and types through one control client on the holder, and leaves none', async () => {
    const fleet = testFleet(
      [
        { name: 'orch', class: 'orchestrator' },
        { name: 'enh', class: 'enhancer' },
        { name: 'w1', class: 'worker' },
      ],
      { interval: 1 },
    );
    const clients = () => {
      try {
        const out = fleet.tmux(['list-clients', '-F', '#{client_control_mode} #{session_name}']);
        return out.split('\n').filter(Boolean);
      } catch {
        return []; // no server yet
      }
    };
    // one cleanup for every way out: a failed wait must not leave this fleet's tmux server
    try {
      const { fleetd } = await startSupervised(fleet, { reapIntervalMs: 1000, tickMs: 500 });
      try {
        // the supervisor makes the server as `fleet up` does, holder session included
        await until(() => clients().includes('1 _holder'), 'a control client on _holder', 30_000);
        await until(
          () => {
            try {
              return fleet.capture('w1').includes('stub>');
            } catch {
              return false; // not started yet
            }
          },
          'w1 at its prompt',
          30_000,
        );
        expect(clients()).toEqual(['1 _holder']);
      } finally {
        await fleetd.stop();
      }
      await until(() => clients().length === 0, 'no client once fleetd stopped', 10_000);
      expect(fleet.tmux(['list-sessions', '-F', '#{session_name}'])).toContain('w1');
    } finally {
      fleet.cleanup();
    }
  });
});

describe('a control client that stops answering', () => {
  it('ends every call in flight as timed out, runs none again, and goes', async () => {
    // stands in for a tmux whose server hangs: it attaches, answers one command, then nothing
    const own = mkdtempSync(path.join(os.tmpdir(), 'mf-ctl-hung-'));
    const fake = path.join(own, 'hung-tmux.cjs');
    writeFileSync(
      fake,
      `#!${process.execPath}
let n = 0;
process.stdout.write('%begin 1 1 0\\n%end 1 1 0\\n');
process.stdin.on('data', (d) => {
  for (const line of String(d).split('\\n').filter(Boolean))
    if (++n === 1) process.stdout.write('%begin 1 2 1\\nfirst\\n%end 1 2 1\\n');
});
`,
      { mode: 0o755 },
    );
    const c = new ControlClient({ bin: fake, socket: { name: 'unused' }, env, holder: HOLDER });
    expect(c.exec([['display-message', '-p', 'x']], 1000)).toBeNull(); // starting
    await until(async () => (await c.exec([['display-message', '-p', 'x']], 1000)) !== null, 'up');
    const a = c.exec([['send-keys', '-t', '=w:', '-l', 'one']], 300);
    const b = c.exec([['send-keys', '-t', '=w:', '-l', 'two']], 5000);
    expect(await a).toMatchObject({ timedOut: true, exitCode: null });
    expect(await b).toMatchObject({ timedOut: true, exitCode: null });
    // gone: the next call is not sent to it
    expect(c.exec([['display-message', '-p', 'y']], 1000)).toBeNull();
    c.close();
    rmSync(own, { recursive: true, force: true });
  });
});
