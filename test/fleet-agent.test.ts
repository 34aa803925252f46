import { existsSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as pty from 'node-pty';
import { afterEach, describe, expect, it } from 'vitest';
import type { FleetPs } from '../lib/ops/snapshot.js';
import type { SendReceipt } from '../lib/send/deliver.js';
import { FLEET_BIN } from './support/fleet-cli.js';
import { testFleet, until, type AgentSpec, type TestFleet } from './support/tmux-fleet.js';

let fleets: TestFleet[] = [];
let terms: pty.IPty[] = [];
async function started(agents: AgentSpec[]): Promise<TestFleet> {
  const f = testFleet(agents);
  fleets.push(f);
  expect((await f.run(['up', '--stagger', '0'])).code).toBe(0);
  await until(async () => {
    const ps = JSON.parse((await f.run(['ps', '--json'])).stdout) as FleetPs;
    return ps.agents.every((r) => r.readiness === 'available');
  }, 'stubs available');
  return f;
}
afterEach(() => {
  for (const t of terms) {
    try {
      t.kill();
    } catch {
      // already gone
    }
  }
  terms = [];
  for (const f of fleets) f.cleanup();
  fleets = [];
});

/** Run the built CLI on a real terminal (node-pty), as an operator would. */
function onTerminal(f: TestFleet, args: string[]) {
  const env = {
    ...process.env,
    FLEET_HOME: f.home,
    TMUX_TMPDIR: f.tmpdir,
    TERM: 'xterm-256color',
  } as Record<string, string>;
  delete env.TMUX;
  delete env.TMUX_PANE;
  const t = pty.spawn(process.execPath, [FLEET_BIN, ...args], {
    cols: 100,
    rows: 30,
    env,
    cwd: f.home,
  });
  terms.push(t);
  let output = '';
  t.onData((d) => (output += d));
  const exited = new Promise<number>((resolve) => t.onExit((e) => resolve(e.exitCode)));
  return { t, output: () => output, exited };
}

const windowShape = (f: TestFleet, name: string) =>
  f
    .tmux([
      'list-panes',
      '-s',
      '-t',
      `=${name}`,
      '-F',
      '#{window_index}.#{pane_index} #{window_width}x#{window_height}',
    ])
    .trim();

describe('fleet agent verbs', () => {
  it('watch is read-only: keys, prefix commands and resizes do not reach the agent', async () => {
    const f = await started([{ name: 'a' }]);
    const shape = windowShape(f, 'a');
    expect(shape).toBe('0.0 200x50');
    const before = f.capture('a');
    const w = onTerminal(f, ['agent', 'watch', 'a']);
    await until(() => w.output().includes('Mosaic stub agent'), 'watcher shows the pane');
    expect(f.tmux(['display-message', '-p', '-t', '=a:', '#{session_attached}']).trim()).toBe('1');
    for (const keys of [
      'typed by a watcher',
      '\r',
      '\x03',
      '\x15',
      '\x02c',
      '\x02"',
      '\x02%',
      '\x02:kill-session\r',
      '\x1b[A',
    ]) {
      w.t.write(keys);
    }
    w.t.resize(60, 15);
    // give a would-be keystroke time to arrive, then detach (C-b d is the one key that works)
    await new Promise((r) => setTimeout(r, 700));
    w.t.write('\x02d');
    expect(await w.exited).toBe(0);
    expect(f.capture('a')).toBe(before);
    expect(windowShape(f, 'a')).toBe(shape);
    expect(f.stubLog()).toEqual([]);
  });

  it('attach is a takeover: sends queue while it is held and are delivered on detach', async () => {
    const f = await started([{ name: 'a' }]);
    const marker = path.join(f.home, 'run', 'a.takeover');
    const a = onTerminal(f, ['agent', 'attach', 'a']);
    await until(
      () => existsSync(marker) && a.output().includes('Mosaic stub agent'),
      'takeover held',
    );
    const held = await f.run([
      'agent',
      'send',
      '--json',
      'a',
      '--verify',
      '--wait',
      '0.3',
      '--',
      'while you were out',
    ]);
    expect((JSON.parse(held.stdout) as SendReceipt).verdict).toBe('queued');
    expect(held.code).toBe(0);
    const ps = JSON.parse((await f.run(['ps', '--json'])).stdout) as FleetPs;
    expect(ps.agents[0]!.takeover).toMatch(new RegExp(`@${os.hostname()} since`));
    expect(f.stubLog()).toEqual([]);

    a.t.write('\x02d');
    await a.exited;
    expect(existsSync(marker)).toBe(false);
    expect(a.output()).toContain('queued message submitted');
    expect(f.stubLog().map((l) => l.text)).toEqual([
      `[from ${os.hostname()}:operator] while you were out`,
    ]);
    expect(readdirSync(path.join(f.home, 'run', 'queue', 'a'))).toEqual([]);
  });

  it("reset types the runtime's reset command, refusing while busy unless --force", async () => {
    const f = await started([{ name: 'a' }]);
    expect((await f.run(['agent', 'send', 'a', '--verify', '--', 'hello'])).code).toBe(0);
    const reset = await f.run(['agent', 'reset', 'a']);
    expect(reset.stdout).toContain('a: submitted');
    await until(
      () => f.capture('a').includes('[stub] conversation cleared (/clear)'),
      'conversation cleared',
    );
    expect(
      f
        .stubLog()
        .map((l) => l.text)
        .at(-1),
    ).toBe('/clear');

    await f.run(['agent', 'send', 'a', '--verify', '--', 'task long 30']);
    await until(
      async () =>
        (
          JSON.parse((await f.run(['agent', 'status', 'a', '--json'])).stdout) as {
            readiness: string;
          }
        ).readiness === 'working',
      'a working',
    );
    const refused = await f.run(['agent', 'reset', 'a']);
    expect(refused.code).toBe(10);
    expect(refused.stderr).toContain('agent a is busy; refusing to reset it (use --force)');
    const forced = await f.run(['agent', 'reset', 'a', '--force']);
    expect(forced.code).toBe(0);
  });

  it('tail prints the last lines; status reports one agent; unknown names are rejected', async () => {
    const f = await started([{ name: 'a' }, { name: 'b' }]);
    await f.run(['agent', 'send', 'a', '--verify', '--', 'one']);
    await f.run(['agent', 'send', 'a', '--verify', '--', 'two']);
    const tail = await f.run(['agent', 'tail', 'a', '-n', '3']);
    expect(tail.stdout.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/\[stub\] received .*: \[from .*\] two$/),
      '[stub] ok',
      'stub>',
    ]);

    const st = JSON.parse((await f.run(['agent', 'status', 'a', '--json'])).stdout) as Record<
      string,
      unknown
    >;
    expect(st).toMatchObject({
      name: 'a',
      tenant_id: 'test-tenant',
      host: os.hostname(),
      session: 'alive',
      readiness: 'available',
      queued: 0,
    });
    const all = await f.run(['agent', 'status']);
    expect(all.stdout).toMatch(/^a\s+stub/m);
    expect(all.stdout).toMatch(/^b\s+stub/m);

    for (const args of [
      ['agent', 'status', 'nope'],
      ['agent', 'send', 'nope', 'hi'],
      ['agent', 'watch', 'nope'],
      ['agent', 'tail', 'nope'],
      ['agent', 'reset', 'nope'],
      ['restart', 'nope'],
    ]) {
      const r = await f.run(args);
      expect(r.code, args.join(' ')).toBe(6);
      expect(r.stderr).toContain('unknown agent "nope" (known: a, b)');
    }
  });

  it('hooks record exact states from Claude Code and codex', async () => {
    const f = testFleet([{ name: 'a' }]);
    fleets.push(f);
    const env = { MOSAIC_AGENT_NAME: 'a', MOSAIC_AGENT_EPOCH: '3' };
    await f.run(['hook', 'claude', 'UserPromptSubmit'], env);
    const status = () => readFileSync(path.join(f.home, 'run', 'a.status'), 'utf8');
    expect(status()).toMatch(
      /^ts=\S+ pid=0 status=busy epoch=3 src=hook event=UserPromptSubmit\n$/,
    );
    await f.run(['hook', 'codex', '{"type":"agent-turn-complete","turn-id":"7"}'], env);
    expect(status()).toMatch(/status=idle epoch=3 src=hook event=agent-turn-complete/);
    const bad = await f.run(['hook', 'claude', 'Stop'], { MOSAIC_AGENT_NAME: '' });
    expect(bad.code).toBe(0); // a hook never fails its runtime
    expect(bad.stderr).toContain('MOSAIC_AGENT_NAME is not set');
  });
});
