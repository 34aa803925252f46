/**
 * Watching and taking over are one operation (lib/ops/takeover.ts) for the CLI and the panel:
 * the same read-only client with the agent's window pinned to its size, and a takeover that,
 * whichever edge held it, delivers on release what queued meanwhile. Real tmux, stub agents,
 * node-pty, the built `fleet` binary.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { holdTakeover, prepareAttach, releaseTakeover } from '../lib/ops/fleet-view.js';
import { FLEET_BIN } from './support/fleet-cli.js';
import { bridgeOptions, ptys, upAndAvailable } from './support/terminals.js';
import { testFleet, until, type TestFleet } from './support/tmux-fleet.js';

let fleet: TestFleet | undefined;
const terms = ptys();

afterEach(() => {
  terms.killAll();
  fleet?.cleanup();
  fleet = undefined;
});

async function oneAgent(): Promise<TestFleet> {
  const f = testFleet([{ name: 'a' }]);
  fleet = f;
  await upAndAvailable(f, 1);
  return f;
}

const panel = bridgeOptions;
const spawn = (argv: string[], env: Record<string, string | undefined>) => terms.spawn(argv, env);

const clientFlags = (f: TestFleet): string[] =>
  f.tmux(['list-clients', '-F', '#{client_flags}']).split('\n').filter(Boolean);

describe('viewers', () => {
  it('`fleet agent watch` and the panel attach the same read-only client, window pinned', async () => {
    const f = await oneAgent();
    const size = () =>
      f.tmux(['display-message', '-p', '-t', '=a:', '#{window_width}x#{window_height}']).trim();
    const before = size();
    spawn([process.execPath, FLEET_BIN, 'agent', 'watch', 'a'], {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TERM: 'xterm-256color',
      FLEET_HOME: f.home,
      TMUX_TMPDIR: f.tmpdir,
    });
    await until(() => clientFlags(f).length === 1, 'CLI viewer attached');
    const cmd = await prepareAttach(panel(f), 'a', 'watch');
    spawn(cmd.argv, cmd.env);
    await until(() => clientFlags(f).length === 2, 'panel viewer attached');
    const [cli, web] = clientFlags(f).map((fl) => fl.split(',').sort());
    expect(cli).toEqual(web);
    expect(cli).toEqual(expect.arrayContaining(['read-only', 'ignore-size']));
    expect(f.tmux(['show-options', '-w', '-v', '-t', '=a:', 'window-size']).trim()).toBe('manual');
    expect(size()).toBe(before);
  });

  it('a panel takeover queues sends and delivers them on release, as `fleet agent attach` does', async () => {
    const f = await oneAgent();
    const o = panel(f);
    const cmd = await prepareAttach(o, 'a', 'takeover');
    const t = spawn(cmd.argv, cmd.env);
    holdTakeover(o, 'a', 'op@example.com', t.pid);
    await until(() => clientFlags(f).length === 1, 'takeover client attached');
    const sent = await f.run([
      'agent',
      'send',
      'a',
      'queued-while-held',
      '--verify',
      '--wait',
      '0',
      '--json',
    ]);
    expect(JSON.parse(sent.stdout)).toMatchObject({ verdict: 'queued' });
    const pane = () => f.tmux(['capture-pane', '-p', '-J', '-t', '=a:']);
    expect(pane()).not.toContain('queued-while-held');
    // what the bridge does when the socket closes
    t.kill();
    await cmd.release();
    await releaseTakeover(o, 'a', t.pid);
    await until(
      () => f.stubLog().some((m) => m.text.includes('queued-while-held')),
      'queued message delivered',
    );
  });
});
