import { describe, expect, it } from 'vitest';
import { CommandError } from '../errors.js';
import { recordingRunner } from '../runner.js';
import { escapeWord, sequence, tmuxClientEnv } from './argv.js';
import { Tmux } from './client.js';
import { PANE_FORMAT } from './panes.js';

const BASE = ['tmux', '-L', 'sock', '-f', '/dev/null'];

function tmuxWith(respond?: Parameters<typeof recordingRunner>[0]) {
  const runner = recordingRunner(respond);
  return { runner, tmux: new Tmux({ socket: { name: 'sock' }, runner, timeoutMs: 1234 }) };
}

describe('tmux argv', () => {
  it('refuses to run without a socket: the default server is never used', () => {
    expect(() => new Tmux({ socket: {}, runner: recordingRunner() })).toThrow(/socket is required/);
  });

  it('uses -S for an explicit socket path', () => {
    const t = new Tmux({ socket: { path: '/tmp/s' }, runner: recordingRunner() });
    expect(t.argv(['ls'])).toEqual(['tmux', '-S', '/tmp/s', '-f', '/dev/null', 'ls']);
  });

  it('escapes a trailing ; so tmux does not split the command there', () => {
    expect(escapeWord('rm x;')).toBe('rm x\\;');
    expect(escapeWord('a;b')).toBe('a;b');
    expect(escapeWord('x\\;')).toBe('x\\\\;');
    expect(sequence([['a', 'b;'], ['c']])).toEqual(['a', 'b\\;', ';', 'c']);
  });

  it('puts a timeout on every call and passes the client env', async () => {
    const runner = recordingRunner();
    const env = tmuxClientEnv({
      PATH: '/bin',
      TMUX: '/tmp/x,1,0',
      TMUX_PANE: '%1',
      DATABASE_URL: 'postgres://secret',
    });
    const t = new Tmux({ socket: { name: 'sock' }, runner, env, timeoutMs: 999 });
    await t.hasSession('a');
    expect(runner.calls[0]!.opts).toEqual({
      timeoutMs: 999,
      env: { PATH: '/bin', LC_CTYPE: 'C.UTF-8' },
      input: undefined,
    });
  });

  it('keeps a UTF-8 locale and forces one when there is none (tmux prints tabs as _ without)', () => {
    expect(tmuxClientEnv({ LANG: 'en_US.UTF-8' })).toEqual({ LANG: 'en_US.UTF-8' });
    expect(tmuxClientEnv({ LC_ALL: 'C', LANG: 'C' })).toEqual({ LANG: 'C', LC_CTYPE: 'C.UTF-8' });
  });

  it('sets server options once, without a global window-size, then creates the placeholder', async () => {
    const { runner, tmux } = tmuxWith((argv) =>
      argv.includes('has-session')
        ? { exitCode: 1, stderr: "can't find session: _holder" }
        : undefined,
    );
    await tmux.ensureServer({ holderSession: '_holder', historyLimit: 5000 });
    expect(runner.calls.map((c) => c.argv)).toEqual([
      [
        ...BASE,
        'start-server',
        ';',
        'set-option',
        '-s',
        'exit-empty',
        'off',
        ';',
        'set-option',
        '-g',
        'mouse',
        'off',
        ';',
        'set-option',
        '-g',
        'history-limit',
        '5000',
      ],
      [...BASE, 'has-session', '-t', '=_holder'],
      [
        ...BASE,
        'new-session',
        '-d',
        '-s',
        '_holder',
        '-x',
        '80',
        '-y',
        '10',
        '--',
        'sleep',
        '2147483647',
        ';',
        'set-option',
        '-w',
        '-t',
        '=_holder:',
        'window-size',
        'manual',
      ],
    ]);
    expect(runner.calls.flatMap((c) => c.argv).join(' ')).not.toMatch(/-g window-size/);
  });

  it('creates an agent session with exact targets and per-window options in the same call', async () => {
    const { runner, tmux } = tmuxWith();
    await tmux.newSession({
      name: 'a1',
      argv: ['/usr/bin/env', '-i', 'X=1', '/bin/prog', 'arg;'],
      cwd: '/w',
      userOptions: { '@mosaic_epoch': '3' },
    });
    expect(runner.calls[0]!.argv).toEqual([
      ...BASE,
      'new-session',
      '-d',
      '-s',
      'a1',
      '-x',
      '200',
      '-y',
      '50',
      '-c',
      '/w',
      '--',
      '/usr/bin/env',
      '-i',
      'X=1',
      '/bin/prog',
      'arg\\;',
      ';',
      'set-option',
      '-w',
      '-t',
      '=a1:',
      'remain-on-exit',
      'on',
      ';',
      'set-option',
      '-w',
      '-t',
      '=a1:',
      'window-size',
      'manual',
      ';',
      'set-option',
      '-t',
      '=a1:',
      '@mosaic_epoch',
      '3',
    ]);
  });

  it('types literally with -l after --, and presses Enter as a separate call', async () => {
    const { runner, tmux } = tmuxWith();
    await tmux.sendLiteral('a1', 'C-c');
    await tmux.sendLiteral('a1', '-n $(touch x);');
    await tmux.sendKey('a1', 'Enter');
    expect(runner.calls.map((c) => c.argv)).toEqual([
      [...BASE, 'send-keys', '-l', '-t', '=a1:', '--', 'C-c'],
      [...BASE, 'send-keys', '-l', '-t', '=a1:', '--', '-n $(touch x)\\;'],
      [...BASE, 'send-keys', '-t', '=a1:', 'Enter'],
    ]);
  });

  it('pastes multi-line text through a named buffer fed on stdin', async () => {
    const { runner, tmux } = tmuxWith();
    await tmux.paste('a1', 'one\ntwo');
    const [load, paste] = runner.calls;
    expect(load!.argv.slice(0, 7)).toEqual([...BASE, 'load-buffer', '-b']);
    const buffer = load!.argv[7]!;
    expect(buffer).toMatch(/^mf-a1-\d+-[0-9a-f]{8}$/);
    expect(load!.argv.slice(8)).toEqual(['-']);
    expect(load!.opts.input).toBe('one\ntwo');
    expect(paste!.argv).toEqual([
      ...BASE,
      'paste-buffer',
      '-d',
      '-p',
      '-r',
      '-b',
      buffer,
      '-t',
      '=a1:',
    ]);
  });

  it('lists every pane in one call', async () => {
    const { runner, tmux } = tmuxWith(() => ({
      stdout: 'a1\t0\t0\t42\t0\t\t1700000000\t1699999999\t1\t0\t3\tstub\tnode\n',
    }));
    const panes = await tmux.listPanes();
    expect(runner.calls).toHaveLength(1);
    expect(runner.calls[0]!.argv).toEqual([...BASE, 'list-panes', '-a', '-F', PANE_FORMAT]);
    expect(panes[0]).toMatchObject({
      session: 'a1',
      pid: 42,
      dead: false,
      activity: 1700000000,
      attached: 1,
      epoch: 3,
      runtime: 'stub',
      currentCommand: 'node',
    });
  });

  it('names its benign outcomes: no server, no session', async () => {
    const noServer = tmuxWith(() => ({
      exitCode: 1,
      stderr: 'no server running on /tmp/tmux-0/sock',
    })).tmux;
    expect(await noServer.listPanes()).toEqual([]);
    expect(await noServer.killServer()).toBe(false);
    expect(await noServer.serverRunning()).toBe(false);
    const noSession = tmuxWith(() => ({ exitCode: 1, stderr: "can't find session: a1" })).tmux;
    expect(await noSession.killSession('a1')).toBe(false);
    expect(await noSession.hasSession('a1')).toBe(false);
  });

  it('turns any other failure or a timeout into a CommandError with the argv', async () => {
    const broken = tmuxWith(() => ({ exitCode: 1, stderr: 'protocol version mismatch' })).tmux;
    await expect(broken.killSession('a1')).rejects.toBeInstanceOf(CommandError);
    const slow = tmuxWith(() => ({ exitCode: null, timedOut: true })).tmux;
    await expect(slow.sendLiteral('a1', 'x')).rejects.toThrow(/timed out/);
  });

  it('watches read-only with ignore-size, attaches plainly for a takeover, both exact', () => {
    const { tmux } = tmuxWith();
    expect(tmux.attachArgv('a1', 'watch')).toEqual([
      ...BASE,
      'attach-session',
      '-f',
      'read-only,ignore-size',
      '-t',
      '=a1',
    ]);
    expect(tmux.attachArgv('a1', 'attach')).toEqual([...BASE, 'attach-session', '-t', '=a1']);
  });

  it('reads cursor, mode and screen in one call and leaves copy-mode with -X cancel', async () => {
    const { runner, tmux } = tmuxWith((argv) =>
      argv.includes('display-message')
        ? { stdout: '6\t2\t1\t0\t80\t24\t77\t4\nhello\nstub> hi\n' }
        : undefined,
    );
    const v = await tmux.view('a1');
    expect(v).toMatchObject({
      cursorX: 6,
      cursorY: 2,
      inMode: true,
      dead: false,
      pid: 77,
      epoch: 4,
      lines: ['hello', 'stub> hi'],
    });
    expect(runner.calls[0]!.argv).toContain('capture-pane');
    await tmux.cancelMode('a1');
    expect(runner.calls[1]!.argv).toEqual([...BASE, 'send-keys', '-X', '-t', '=a1:', 'cancel']);
  });
});

describe('viewMany', () => {
  it('reads several panes in one call and tells them apart by a marker no pane can print', async () => {
    const { runner, tmux } = tmuxWith((argv) => {
      const fmt = argv.filter((w) => w.includes('\t'));
      const marker = fmt[0]!.split('\t')[0]!;
      return {
        stdout:
          `${marker}\ta1\t1\t2\t0\t0\t80\t24\t111\t3\nstub> \n` +
          `${marker}\ta2\t0\t0\t0\t0\t80\t24\t222\t5\nline one\n${'mf-view-fake'}\ta1\tx\nstub[busy]> \n`,
      };
    });
    const views = await tmux.viewMany(['a1', 'a2']);
    expect(runner.calls).toHaveLength(1);
    const argv = runner.calls[0]!.argv;
    expect(argv.filter((w) => w === 'capture-pane')).toHaveLength(2);
    expect(argv).toContain('=a1:');
    expect(argv).toContain('=a2:');
    expect(views.get('a1')).toMatchObject({ pid: 111, epoch: 3, lines: ['stub> '] });
    expect(views.get('a2')).toMatchObject({
      pid: 222,
      epoch: 5,
      lines: ['line one', 'mf-view-fake\ta1\tx', 'stub[busy]> '],
    });
  });

  it('reads pane by pane when the batch fails, leaving out a pane that is gone', async () => {
    const { runner, tmux } = tmuxWith((argv) => {
      if (argv.filter((w) => w === 'capture-pane').length > 1)
        return { exitCode: 1, stderr: "can't find pane: =a1:" };
      if (argv.includes('=a1:')) return { exitCode: 1, stderr: "can't find pane: =a1:" };
      return { stdout: '0\t0\t0\t0\t80\t24\t222\t5\nstub> \n' };
    });
    const views = await tmux.viewMany(['a1', 'a2']);
    expect(runner.calls).toHaveLength(3);
    expect([...views.keys()]).toEqual(['a2']);
  });
});
