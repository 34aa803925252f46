/**
 * A web takeover reaches its one pane and nothing else (docs/security.md): the PTY runs exactly
 * the argv and env that prepareAttach returns for `takeover`, as server/web/terminal.ts does,
 * against real tmux and two stub agents. Keys that would drive tmux itself in a full client
 * (the prefix, its command prompt, session switching, new windows) must reach the agent's
 * pane as plain input or nowhere — never tmux.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type * as pty from 'node-pty';
import { afterEach, describe, expect, it } from 'vitest';
import { gatherPs, type FleetPs } from '../lib/ops/snapshot.js';
import { AGENT_NAME_RE } from '../lib/names.js';
import { fleetDepsFor, prepareAttach, type AttachCommand } from '../lib/ops/fleet-view.js';
import { bridgeOptions, ptys, upAndAvailable } from './support/terminals.js';
import { alive, testFleet, until, type TestFleet } from './support/tmux-fleet.js';

let fleets: TestFleet[] = [];
const terms = ptys();
let dirs: string[] = [];

afterEach(() => {
  terms.killAll();
  for (const f of fleets) f.cleanup();
  fleets = [];
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

async function twoAgents(): Promise<TestFleet> {
  const f = testFleet([{ name: 'a' }, { name: 'other' }]);
  fleets.push(f);
  await upAndAvailable(f, 2);
  return f;
}

/** fleetd's options for the bridge: prepareAttach passes on only its env allowlist */
const stateOptions = bridgeOptions;

interface Viewer {
  t: pty.IPty;
  cmd: AttachCommand;
  exited: Promise<number>;
}

/** What the bridge does for a takeover socket: prepareAttach, then that argv/env in a PTY. */
async function takeOver(f: TestFleet, agent: string): Promise<Viewer> {
  const cmd = await prepareAttach(stateOptions(f), agent, 'takeover');
  const t = terms.spawn(cmd.argv, cmd.env, { cols: cmd.cols, rows: cmd.rows });
  const exited = new Promise<number>((resolve) => t.onExit((e) => resolve(e.exitCode)));
  await until(() => clients(f).length === 1, 'takeover client attached');
  return { t, cmd, exited };
}

/** Every client on the fleet socket: its session and the pane it shows. */
function clients(f: TestFleet): { session: string; pane: string }[] {
  return (
    f
      // a space, not a tab: tmux prints a tab in -F as `_` without a UTF-8 locale (docs/pitfalls.md)
      .tmux(['list-clients', '-F', '#{client_session} #{pane_id}'])
      .split('\n')
      .filter(Boolean)
      .map((l) => {
        const [session, pane] = l.split(' ');
        return { session: session!, pane: pane! };
      })
  );
}

const paneId = (f: TestFleet, name: string): string =>
  f.tmux(['display-message', '-p', '-t', `=${name}:`, '#{pane_id}']).trim();
const sessions = (f: TestFleet): string[] =>
  f.tmux(['list-sessions', '-F', '#{session_name}']).split('\n').filter(Boolean);
/** sessions on the socket that are neither an agent nor the placeholder */
const extraSessions = (f: TestFleet): string[] =>
  sessions(f).filter((s) => !['a', 'other', '_holder'].includes(s));
const windowCount = (f: TestFleet, name: string): number =>
  f
    .tmux(['list-windows', '-t', `=${name}`, '-F', '#{window_id}'])
    .split('\n')
    .filter(Boolean).length;
const windowShape = (f: TestFleet, name: string): string =>
  f.tmux(['display-message', '-p', '-t', `=${name}:`, '#{window_width}x#{window_height}']).trim();

/** The PTY's exit, bounded: a client that lives on fails here rather than at the test timeout. */
async function exits(v: { exited: Promise<number> }, what: string): Promise<number> {
  let done = false;
  void v.exited.then(() => (done = true));
  await until(() => done, what);
  return v.exited;
}

/**
 * Write keys the way a person types them, a little apart: tmux drops what arrives in the same
 * read as the key that opens its command prompt (measured on 3.3a), which would hide a prompt
 * that did open.
 */
async function typeKeys(v: Viewer, ...parts: string[]): Promise<void> {
  for (const p of parts) {
    v.t.write(p);
    await new Promise((r) => setTimeout(r, 50));
  }
}

let probes = 0;
/**
 * Type a fresh word and Enter, and wait until the agent's pane shows it: keys are handled in
 * order, so everything typed before it has been handled by then. `escaped` ends the wait early
 * when the keys before it did reach tmux (the client moved, a window opened …), so that the
 * test fails on what it asserts rather than on a timeout.
 */
async function probe(f: TestFleet, v: Viewer, escaped: () => boolean = () => false) {
  const word = `probe-${++probes}-${process.pid}`;
  v.t.write(`${word}\r`);
  await until(() => f.capture('a').includes(word) || escaped(), `${word} shown in a's pane`);
  return word;
}

describe('a web takeover is scoped to its one pane', () => {
  it("tmux's command prompt never opens: run-shell does not run", async () => {
    const f = await twoAgents();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mf-takeover-'));
    dirs.push(dir);
    const touched = path.join(dir, 'ran');
    // a second prefix set on the fleet's server (prefix2 is off by default) is no door either
    f.tmux(['set-option', '-g', 'prefix2', 'C-a']);
    const v = await takeOver(f, 'a');
    await typeKeys(v, '\x02', ':', `run-shell "touch ${touched}"`, '\r');
    await typeKeys(v, '\x01', ':', `run-shell "touch ${touched}"`, '\r');
    // Wait for the probe, or for the file: in a full tmux client the prompt takes the keys and
    // the probe may never reach a pane. run-shell is asynchronous: leave it time to have run.
    v.t.write(`still-the-agent\r`);
    await until(
      () => existsSync(touched) || f.capture('a').includes('still-the-agent'),
      'typed text in the pane (or the command run)',
    );
    await new Promise((r) => setTimeout(r, 700));
    expect(existsSync(touched)).toBe(false);
    // the keys went to the agent instead, as typed
    expect(f.capture('a')).toContain(`run-shell "touch ${touched}"`);
  });

  it('the client stays on its own agent: no switch-client, no next/previous session', async () => {
    const f = await twoAgents();
    const own = paneId(f, 'a');
    const v = await takeOver(f, 'a');
    expect(clients(f).map((c) => c.pane)).toEqual([own]);
    for (const keys of [
      ['\x02', ':', 'switch-client -t =other', '\r'],
      ['\x02', ')'],
      ['\x02', '('],
      ['\x02', 's', '\x1b[B', '\r'],
    ]) {
      await typeKeys(v, ...keys);
      const word = await probe(f, v, () => clients(f).some((c) => c.pane !== own));
      const now = clients(f);
      expect(now).toHaveLength(1);
      expect(now[0]!.session).not.toBe('other');
      expect(now[0]!.pane).toBe(own);
      expect(f.capture('a')).toContain(word);
      expect(f.capture('other')).not.toContain(word);
    }
  });

  it('no new window or pane: C-b c, splits and break-pane do not reach tmux', async () => {
    const f = await twoAgents();
    const own = paneId(f, 'a');
    const panes = () =>
      f.tmux(['list-panes', '-s', '-t', '=a', '-F', '#{pane_id}']).split('\n').filter(Boolean);
    const v = await takeOver(f, 'a');
    for (const key of ['c', '"', '%', '!']) {
      await typeKeys(v, '\x02', key);
      await probe(f, v, () => panes().length > 1);
      expect(windowCount(f, 'a')).toBe(1);
      expect(panes()).toEqual([own]);
    }
  });

  it("ordinary typing reaches the agent's pane; the window keeps its size", async () => {
    const f = await twoAgents();
    const shape = windowShape(f, 'a');
    expect(shape).toBe('200x50');
    const v = await takeOver(f, 'a');
    expect([v.cmd.cols, v.cmd.rows]).toEqual([200, 51]);
    v.t.resize(60, 15);
    v.t.write('hello from the browser\r');
    await until(
      () => f.stubLog().some((l) => l.text === 'hello from the browser'),
      'the stub received the line',
    );
    expect(f.capture('a')).toContain('hello from the browser');
    expect(f.capture('other')).not.toContain('hello from the browser');
    expect(windowShape(f, 'a')).toBe(shape);
    expect(windowShape(f, 'other')).toBe('200x50');
  });

  it('its private session is hidden from ps/status/verify and goes when the viewer does', async () => {
    const f = await twoAgents();
    const v = await takeOver(f, 'a');
    const extra = extraSessions(f);
    expect(extra).toHaveLength(1);
    expect(extra[0]).not.toMatch(AGENT_NAME_RE);

    const ps = JSON.parse((await f.run(['ps', '--json'])).stdout) as FleetPs;
    expect(ps.agents.map((r) => r.name)).toEqual(['a', 'other']);
    // the takeover client still counts as a viewer of its agent
    expect(ps.agents.find((r) => r.name === 'a')!.clients).toBe(1);
    const gathered = await gatherPs(fleetDepsFor(stateOptions(f)));
    expect(gathered.agents.map((r) => r.name)).toEqual(['a', 'other']);
    const status = await f.json<{ unmanaged: string[] }>(['status']);
    expect(status.unmanaged).toEqual([]);
    const verify = await f.json<{ ok: boolean; unmanaged: string[] }>(['verify']);
    expect(verify).toMatchObject({ ok: true, unmanaged: [] });

    // locked down where the browser is; the agent's own session (CLI viewers) keeps its keys
    const own = f.tmux(['show-options', '-t', `=${extra[0]}:`]);
    for (const line of [
      'prefix None',
      'prefix2 None',
      'mouse off',
      'detach-on-destroy on',
      'destroy-unattached on',
    ]) {
      expect(own).toContain(line);
    }
    expect(f.tmux(['show-options', '-t', '=a:'])).not.toMatch(/^(prefix|key-table|mouse) /m);

    v.t.kill();
    await exits(v, 'takeover client ended');
    await until(() => extraSessions(f).length === 0, 'private session gone');
    // the agent itself is untouched
    expect(sessions(f)).toEqual(expect.arrayContaining(['a', 'other']));
    expect(windowCount(f, 'a')).toBe(1);
  });

  it('stopping the agent ends the takeover and its process: nothing lives on hidden', async () => {
    const f = await twoAgents();
    const pid = f.panePid('a');
    const v = await takeOver(f, 'a');
    expect((await f.run(['down', 'a'])).code).toBe(0);
    await exits(v, 'takeover client ended with its agent');
    await until(() => !alive(pid), 'agent process gone');
    expect(sessions(f)).not.toContain('a');
    expect(extraSessions(f)).toEqual([]);
  });

  it('release() ends the private session, and with it the client', async () => {
    const f = await twoAgents();
    const v = await takeOver(f, 'a');
    expect(extraSessions(f)).toEqual([v.cmd.privateSession]);
    await v.cmd.release();
    await exits(v, 'takeover client ended on release');
    expect(extraSessions(f)).toEqual([]);
    expect(windowCount(f, 'a')).toBe(1);
    await v.cmd.release(); // twice is harmless
  });

  it('watch is unchanged: read-only on the agent session itself, nothing private', async () => {
    const f = await twoAgents();
    const cmd = await prepareAttach(stateOptions(f), 'a', 'watch');
    expect(cmd.privateSession).toBeNull();
    expect(cmd.argv.slice(-5)).toEqual([
      'attach-session',
      '-f',
      'read-only,ignore-size',
      '-t',
      '=a',
    ]);
  });

  it('after a session killed by hand, the next takeover or stop clears what it left', async () => {
    const f = await twoAgents();
    const oldPid = f.panePid('a');
    const old = await takeOver(f, 'a');
    // raw kill-session: the window lives on in the private session, the process with it
    f.tmux(['kill-session', '-t', '=a']);
    expect(alive(oldPid)).toBe(true);
    expect(extraSessions(f)).toHaveLength(1);
    // hidden as ever: the fleet sees the agent missing and starts it again
    expect((await f.run(['up', 'a'])).code).toBe(0);
    await until(() => sessions(f).includes('a'), 'a started again');
    const fresh = await until(() => {
      const pid = f.panePid('a');
      return pid && pid !== oldPid ? pid : 0;
    }, 'a new pane');
    // a new takeover is not merged into the old group: it shows the new pane, the old one goes
    const cmd = await prepareAttach(stateOptions(f), 'a', 'takeover');
    await exits(old, 'the takeover of the orphan ended');
    await until(() => !alive(oldPid), 'the orphaned process gone');
    terms.spawn(cmd.argv, cmd.env, { cols: cmd.cols, rows: cmd.rows });
    await until(() => clients(f).length === 1, 'new takeover attached');
    expect(clients(f)[0]!.pane).toBe(paneId(f, 'a'));
    expect(alive(fresh)).toBe(true);

    // and a stop kills an orphan too, even with no agent session left to find it by
    f.tmux(['kill-session', '-t', '=a']);
    expect(alive(fresh)).toBe(true);
    await f.run(['down', 'a']);
    await until(() => !alive(fresh), 'the second orphan gone');
    expect(extraSessions(f)).toEqual([]);
  });
});
