import { describe, expect, it } from 'vitest';
import { AGENT_NAME_RE } from '../names.js';
import { recordingRunner } from '../runner.js';
import { Tmux } from './client.js';
import type { PaneInfo } from './panes.js';
import {
  TAKEOVER_KEY_TABLE,
  agentSessions,
  hideTakeoverSessions,
  isTakeoverSession,
  parseSessionWindows,
  takeoverAgentOf,
  takeoverCommands,
  takeoverSessionName,
} from './takeover.js';

const BASE = ['tmux', '-L', 'sock', '-f', '/dev/null'];
const P = '_mf-takeover-coder0-0a1b2c3d';

function pane(session: string, attached = 0): PaneInfo {
  return {
    session,
    windowIndex: 0,
    paneIndex: 0,
    pid: 1,
    dead: false,
    deadStatus: null,
    activity: null,
    created: null,
    attached,
    inMode: false,
    epoch: null,
    runtime: null,
    currentCommand: 'node',
  };
}

describe('takeover session names', () => {
  it('are never agent names, and name the agent they were made for', () => {
    const name = takeoverSessionName('coder0');
    expect(name).toMatch(/^_mf-takeover-coder0-[0-9a-f]{8}$/);
    expect(name).not.toMatch(AGENT_NAME_RE);
    expect(takeoverSessionName('coder0')).not.toBe(name);
    expect(takeoverAgentOf(name)).toBe('coder0');
    expect(takeoverAgentOf('_mf-takeover-a-b-c-0a1b2c3d')).toBe('a-b-c');
    expect(isTakeoverSession(name)).toBe(true);
  });

  it('refuse what is not an agent name, and parse nothing else', () => {
    expect(() => takeoverSessionName('Bad:name')).toThrow(/not an agent name/);
    expect(() => takeoverSessionName('a', 'zz')).toThrow(/suffix/);
    for (const s of ['coder0', '_holder', '_mf-takeover-coder0', '_mf-takeover-X-0a1b2c3d'])
      expect(takeoverAgentOf(s)).toBeNull();
  });
});

describe('takeover commands', () => {
  it('check the agent, lock the session down, attach, and only then let it die unattached', () => {
    const cmds = takeoverCommands({ agent: 'coder0', session: P, status: 'on' });
    const t = `=${P}:`;
    expect(cmds).toEqual([
      ['has-session', '-t', '=coder0'],
      ['new-session', '-d', '-t', '=coder0', '-s', P],
      ['set-option', '-t', t, 'prefix', 'None'],
      ['set-option', '-t', t, 'prefix2', 'None'],
      ['set-option', '-t', t, 'key-table', TAKEOVER_KEY_TABLE],
      ['set-option', '-t', t, 'mouse', 'off'],
      ['set-option', '-t', t, 'detach-on-destroy', 'on'],
      ['set-option', '-t', t, 'status', 'on'],
      ['attach-session', '-f', 'ignore-size', '-t', `=${P}`],
      ['set-option', '-t', t, 'destroy-unattached', 'on'],
    ]);
    // never a global option, never a size: the agent window stays `window-size manual`
    expect(cmds.flat()).not.toContain('-g');
    expect(cmds.flat()).not.toContain('window-size');
    expect(cmds.flat()).not.toContain('-x');
  });

  it('pass on only a status value tmux knows, and refuse a session of another agent', () => {
    const status = (s: string) =>
      takeoverCommands({ agent: 'coder0', session: P, status: s }).filter((c) =>
        c.includes('status'),
      );
    expect(status('2')).toHaveLength(1);
    expect(status('#(touch x)')).toEqual([]);
    expect(() => takeoverCommands({ agent: 'other', session: P })).toThrow(/not a takeover/);
  });

  it('run as one invocation on the fleet socket', () => {
    const tmux = new Tmux({ socket: { name: 'sock' }, runner: recordingRunner() });
    const argv = tmux.takeoverArgv({ agent: 'coder0', session: P });
    expect(argv.slice(0, 8)).toEqual([...BASE, 'has-session', '-t', '=coder0']);
    expect(argv.filter((w) => w === ';')).toHaveLength(8);
  });
});

describe('listings', () => {
  it('hide private sessions and count their clients as viewers of the agent', () => {
    const panes = [pane('coder0', 1), pane(P, 1), pane(P, 1), pane('_mf-takeover-junk'), pane('b')];
    expect(hideTakeoverSessions(panes)).toEqual([pane('coder0', 2), pane('b')]);
  });

  it('tell live takeovers (showing the agent window) from stale ones', () => {
    const stale = '_mf-takeover-coder0-ffffffff';
    const rows = parseSessionWindows(
      ['@1 coder0', `@1 ${P}`, `@0 ${stale}`, '@2 other', '@3 with space', ''].join('\n'),
    );
    expect(rows).toContainEqual({ windowId: '@3', session: 'with space' });
    expect(agentSessions('coder0', rows)).toEqual({ windows: ['@1'], live: [P], stale: [stale] });
    // the agent session gone: every private session of it is stale
    expect(agentSessions('coder0', rows.slice(1))).toEqual({
      windows: [],
      live: [],
      stale: [P, stale],
    });
  });
});

describe('Tmux kills for takeovers', () => {
  const listing = `@1 coder0\n@1 ${P}\n@0 _mf-takeover-coder0-ffffffff\n`;

  it("kills an agent's windows first, then its private sessions, then the session", async () => {
    const runner = recordingRunner((argv) =>
      argv.includes('list-windows')
        ? { stdout: listing }
        : argv.includes(`=${P}`)
          ? { exitCode: 1, stderr: `can't find session: ${P}` }
          : argv.includes('=coder0')
            ? { exitCode: 1, stderr: "can't find session: coder0" }
            : undefined,
    );
    const tmux = new Tmux({ socket: { name: 'sock' }, runner });
    expect(await tmux.killSession('coder0')).toBe(true);
    expect(runner.calls.map((c) => c.argv.slice(BASE.length).join(' '))).toEqual([
      'list-windows -a -F #{window_id} #{session_name}',
      'kill-window -t @1',
      `kill-session -t =${P}`,
      'kill-session -t =_mf-takeover-coder0-ffffffff',
      'kill-session -t =coder0',
    ]);
  });

  it('lists panes without private sessions', async () => {
    const row = (s: string) => `${s}\t0\t0\t42\t0\t\t1700000000\t1\t1\t0\t1\tstub\tnode\n`;
    const runner = recordingRunner(() => ({ stdout: row('coder0') + row(P) }));
    const tmux = new Tmux({ socket: { name: 'sock' }, runner });
    expect(await tmux.listPanes()).toMatchObject([{ session: 'coder0', attached: 2 }]);
  });

  it('ends a private session plainly, and refuses to end anything else that way', async () => {
    const runner = recordingRunner();
    const tmux = new Tmux({ socket: { name: 'sock' }, runner });
    expect(await tmux.killTakeoverSession(P)).toBe(true);
    expect(runner.calls[0]!.argv).toEqual([...BASE, 'kill-session', '-t', `=${P}`]);
    await expect(tmux.killTakeoverSession('coder0')).rejects.toThrow(/not a takeover/);
  });

  it('clears only stale takeovers before a new one', async () => {
    const runner = recordingRunner((argv) =>
      argv.includes('list-windows') ? { stdout: listing } : undefined,
    );
    const tmux = new Tmux({ socket: { name: 'sock' }, runner });
    expect(await tmux.clearStaleTakeovers('coder0')).toEqual(['_mf-takeover-coder0-ffffffff']);
    expect(runner.calls.slice(1).map((c) => c.argv.slice(BASE.length))).toEqual([
      ['kill-session', '-t', '=_mf-takeover-coder0-ffffffff'],
    ]);
  });
});
