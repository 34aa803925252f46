import { randomBytes } from 'node:crypto';
import { CommandError } from '../errors.js';
import { DEFAULT_TIMEOUT_MS, type RunResult, type Runner } from '../runner.js';
import { globalFlags, paneTarget, sequence, sessionTarget, type SocketRef } from './argv.js';
import { controlClientFor, type ControlClient } from './control.js';
import {
  PANE_FORMAT,
  VIEW_FORMAT,
  parsePanes,
  parseView,
  parseViews,
  type PaneInfo,
  type PaneView,
} from './panes.js';
import {
  WINDOW_FORMAT,
  agentSessions,
  hideTakeoverSessions,
  isTakeoverSession,
  parseSessionWindows,
  takeoverCommands,
  type SessionWindow,
  type TakeoverSpec,
} from './takeover.js';

export interface TmuxOptions {
  socket: SocketRef;
  runner: Runner;
  /** env for the tmux client; build it with tmuxClientEnv() */
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  bin?: string;
  /**
   * the roster's holder session: in a process that asked for tmux control clients (fleetd),
   * pane reads and typing go through one attached to it (lib/tmux/control.ts)
   */
  holder?: string;
}

export interface NewSessionSpec {
  name: string;
  /** the pane's program as separate words: tmux execs it directly, no shell involved */
  argv: readonly string[];
  cwd: string;
  width?: number;
  height?: number;
  /** session user options (`@mosaic_epoch` …) set in the same call */
  userOptions?: Record<string, string>;
}

export interface ServerOptions {
  holderSession?: string;
  historyLimit?: number;
}

/** Outcomes of a failed tmux call that are expected and named, never guessed from stderr alone. */
const NO_SERVER = /no server running|error connecting to|server exited unexpectedly/i;
// "no current target": the server is up but has no session at all (exit-empty off)
const NO_SESSION =
  /can't find session|session not found|no such session|can't find pane|can't find window|no current target/i;

export const isNoServer = (r: RunResult): boolean => r.exitCode !== 0 && NO_SERVER.test(r.stderr);
export const isNoSession = (r: RunResult): boolean => r.exitCode !== 0 && NO_SESSION.test(r.stderr);

/** The one module that talks to tmux. Every call: `-L/-S <socket>`, argv array, a timeout. */
export class Tmux {
  readonly socket: SocketRef;
  private readonly runner: Runner;
  private readonly env: NodeJS.ProcessEnv | undefined;
  private readonly timeoutMs: number;
  private readonly bin: string;
  private readonly holder: string | undefined;

  constructor(opts: TmuxOptions) {
    globalFlags(opts.socket); // refuse a missing socket at construction
    this.socket = opts.socket;
    this.runner = opts.runner;
    this.env = opts.env;
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.bin = opts.bin ?? 'tmux';
    this.holder = opts.holder;
  }

  /** This process's control client for the server, if it uses them (lib/tmux/control.ts). */
  private get control(): ControlClient | null {
    const holder = this.holder;
    if (!holder) return null;
    return controlClientFor({ bin: this.bin, socket: this.socket, env: this.env, holder });
  }

  /** Full argv for one or more tmux commands run in one invocation. */
  argv(...commands: (readonly string[])[]): string[] {
    return [this.bin, ...globalFlags(this.socket), ...sequence(commands)];
  }

  /** Run and return the result whatever the exit code. */
  async exec(commands: (readonly string[])[], input?: string): Promise<RunResult> {
    const r = input === undefined ? await this.viaControl(commands) : null;
    return (
      r ?? this.runner(this.argv(...commands), { timeoutMs: this.timeoutMs, env: this.env, input })
    );
  }

  /** The list run on this process's control client; null when it has none or it cannot take it. */
  private async viaControl(commands: (readonly string[])[]): Promise<RunResult | null> {
    return (await this.control?.exec(commands, this.timeoutMs)) ?? null;
  }

  /** Run and throw CommandError on a non-zero exit or timeout. */
  async run(commands: (readonly string[])[], input?: string): Promise<string> {
    return this.stdoutOf(commands, await this.exec(commands, input));
  }

  private stdoutOf(commands: (readonly string[])[], r: RunResult): string {
    if (r.exitCode !== 0 || r.timedOut) {
      const argv = this.argv(...commands);
      throw new CommandError(argv, r.exitCode, r.stdout, r.stderr, { timedOut: r.timedOut });
    }
    return r.stdout;
  }

  async serverRunning(): Promise<boolean> {
    const r = await this.exec([['list-sessions', '-F', '#{session_name}']]);
    if (r.exitCode === 0) return true;
    if (isNoServer(r)) return false;
    throw new CommandError(this.argv(['list-sessions']), r.exitCode, r.stdout, r.stderr, {
      timedOut: r.timedOut,
    });
  }

  /**
   * Start the server if needed and set the server-wide options once. Never `set -g
   * window-size manual` here: on 3.3a a later new-session then crashes the server (docs/pitfalls.md "window-size manual");
   * it is set per window after each session exists. `exit-empty off` plus a placeholder
   * session keep the server alive when the last agent session goes.
   */
  async ensureServer(opts: ServerOptions = {}): Promise<void> {
    const cmds: string[][] = [
      ['start-server'],
      ['set-option', '-s', 'exit-empty', 'off'],
      ['set-option', '-g', 'mouse', 'off'],
    ];
    if (opts.historyLimit)
      cmds.push(['set-option', '-g', 'history-limit', String(opts.historyLimit)]);
    await this.run(cmds);
    const holder = opts.holderSession;
    if (holder && !(await this.hasSession(holder))) {
      const r = await this.exec([
        ['new-session', '-d', '-s', holder, '-x', '80', '-y', '10', '--', 'sleep', '2147483647'],
        ['set-option', '-w', '-t', paneTarget(holder), 'window-size', 'manual'],
      ]);
      // two `fleet up` racing: the other one created it
      if (r.exitCode !== 0 && !/duplicate session/.test(r.stderr)) {
        throw new CommandError(
          this.argv(['new-session', '-s', holder]),
          r.exitCode,
          r.stdout,
          r.stderr,
        );
      }
    }
  }

  async hasSession(name: string): Promise<boolean> {
    const r = await this.exec([['has-session', '-t', sessionTarget(name)]]);
    if (r.exitCode === 0) return true;
    if (isNoSession(r) || isNoServer(r)) return false;
    throw new CommandError(
      this.argv(['has-session', '-t', sessionTarget(name)]),
      r.exitCode,
      r.stdout,
      r.stderr,
      {
        timedOut: r.timedOut,
      },
    );
  }

  newSessionCommands(spec: NewSessionSpec): string[][] {
    const t = paneTarget(spec.name);
    const cmds: string[][] = [
      [
        'new-session',
        '-d',
        '-s',
        spec.name,
        '-x',
        String(spec.width ?? 200),
        '-y',
        String(spec.height ?? 50),
        '-c',
        spec.cwd,
        '--',
        ...spec.argv,
      ],
      // same invocation, so a runtime that exits at once still leaves its dead pane to inspect
      ['set-option', '-w', '-t', t, 'remain-on-exit', 'on'],
      ['set-option', '-w', '-t', t, 'window-size', 'manual'],
    ];
    for (const [k, v] of Object.entries(spec.userOptions ?? {}))
      cmds.push(['set-option', '-t', t, k, v]);
    return cmds;
  }

  async newSession(spec: NewSessionSpec): Promise<void> {
    await this.run(this.newSessionCommands(spec));
  }

  /**
   * Kill one agent's session and everything that shows its window. `kill-session` alone leaves
   * a window that a grouped session also holds — a web takeover's private session — and the
   * agent's process in it alive (measured on 3.3a), so the windows go first: `kill-window`
   * removes a window from every session, and a session left without windows goes with it.
   * Private sessions left over from a session killed by hand go too (lib/tmux/takeover.ts).
   * Returns false when it was not there (benign).
   */
  async killSession(name: string): Promise<boolean> {
    const s = agentSessions(name, await this.sessionWindows());
    for (const w of s.windows) await this.killQuietly(['kill-window', '-t', w]);
    for (const p of [...s.live, ...s.stale])
      await this.killQuietly(['kill-session', '-t', sessionTarget(p)]);
    // normally gone with its last window already; a window made in the meantime is not
    const killed = await this.killQuietly(['kill-session', '-t', sessionTarget(name)]);
    return killed || s.windows.length > 0;
  }

  /** Run one kill command; false when its target (or the server) was not there. */
  private async killQuietly(command: readonly string[]): Promise<boolean> {
    const r = await this.exec([command]);
    if (r.exitCode === 0) return true;
    if (isNoSession(r) || isNoServer(r)) return false;
    throw new CommandError(this.argv(command), r.exitCode, r.stdout, r.stderr, {
      timedOut: r.timedOut,
    });
  }

  /** Every window of every session, private ones included; no server means none. */
  async sessionWindows(): Promise<SessionWindow[]> {
    const r = await this.exec([['list-windows', '-a', '-F', WINDOW_FORMAT]]);
    if (r.exitCode === 0) return parseSessionWindows(r.stdout);
    if (isNoServer(r) || isNoSession(r)) return [];
    throw new CommandError(this.argv(['list-windows', '-a']), r.exitCode, r.stdout, r.stderr, {
      timedOut: r.timedOut,
    });
  }

  /**
   * argv of a web takeover's tmux client: a private session grouped with the agent's, where no
   * key reaches tmux itself (lib/tmux/takeover.ts, docs/security.md).
   */
  takeoverArgv(spec: TakeoverSpec): string[] {
    return this.argv(...takeoverCommands(spec));
  }

  /**
   * Remove private sessions of this agent that no longer show its window, before a new takeover
   * is grouped with it (lib/tmux/takeover.ts `agentSessions`). Returns their names.
   */
  async clearStaleTakeovers(agent: string): Promise<string[]> {
    const { stale } = agentSessions(agent, await this.sessionWindows());
    for (const p of stale) await this.killQuietly(['kill-session', '-t', sessionTarget(p)]);
    return stale;
  }

  /**
   * End a takeover's private session. A plain `kill-session`: the agent's window stays in the
   * agent's session (never killSession() here, which kills the windows). False when gone already.
   */
  async killTakeoverSession(session: string): Promise<boolean> {
    if (!isTakeoverSession(session)) throw new Error(`not a takeover session: ${session}`);
    return this.killQuietly(['kill-session', '-t', sessionTarget(session)]);
  }

  /** Kill this socket's server only. Returns false when none was running (benign). */
  async killServer(): Promise<boolean> {
    const r = await this.exec([['kill-server']]);
    if (r.exitCode === 0) return true;
    if (isNoServer(r)) return false;
    throw new CommandError(this.argv(['kill-server']), r.exitCode, r.stdout, r.stderr);
  }

  /**
   * Every pane on the socket in one call, takeovers' private sessions left out (their clients
   * counted as their agent's); no server means no panes.
   */
  async listPanes(): Promise<PaneInfo[]> {
    const r = await this.exec([['list-panes', '-a', '-F', PANE_FORMAT]]);
    // a private session is neither an agent nor an unmanaged session (lib/tmux/takeover.ts)
    if (r.exitCode === 0) return hideTakeoverSessions(parsePanes(r.stdout));
    if (isNoServer(r) || isNoSession(r)) return [];
    throw new CommandError(this.argv(['list-panes', '-a']), r.exitCode, r.stdout, r.stderr, {
      timedOut: r.timedOut,
    });
  }

  async displayMessage(name: string, format: string): Promise<string> {
    return (await this.run([['display-message', '-p', '-t', paneTarget(name), format]])).replace(
      /\n$/,
      '',
    );
  }

  /** Cursor, mode and the visible screen of one pane, in one call. */
  async view(name: string): Promise<PaneView> {
    const t = paneTarget(name);
    return parseView(
      await this.run([
        ['display-message', '-p', '-t', t, VIEW_FORMAT],
        ['capture-pane', '-p', '-J', '-t', t],
      ]),
    );
  }

  /**
   * The views of several panes in one tmux call per `chunk` panes (fleetd's screen heartbeat
   * reads every agent each interval). A chunk whose call fails (a session went away meanwhile:
   * tmux stops at the first failing command) is read pane by pane; a pane that is gone is left
   * out of the result.
   */
  async viewMany(names: readonly string[], chunk = 50): Promise<Map<string, PaneView>> {
    const out = new Map<string, PaneView>();
    for (let i = 0; i < names.length; i += chunk) {
      const part = names.slice(i, i + chunk);
      const marker = `mf-view-${randomBytes(8).toString('hex')}`;
      const r = await this.exec(
        part.flatMap((n) => [
          ['display-message', '-p', '-t', paneTarget(n), `${marker}\t${n}\t${VIEW_FORMAT}`],
          ['capture-pane', '-p', '-J', '-t', paneTarget(n)],
        ]),
      );
      if (r.exitCode === 0 && !r.timedOut) {
        for (const [n, v] of parseViews(r.stdout, marker)) out.set(n, v);
        continue;
      }
      for (const n of part) {
        try {
          out.set(n, await this.view(n));
        } catch (e) {
          const r =
            e instanceof CommandError
              ? { exitCode: e.exitCode, stdout: e.stdout, stderr: e.stderr, timedOut: false }
              : null;
          if (!r || (!isNoSession(r) && !isNoServer(r))) throw e;
        }
      }
    }
    return out;
  }

  /** The last `lines` lines of the pane's history and screen (wrapped lines joined). */
  async capture(name: string, lines: number): Promise<string> {
    return this.run([
      ['capture-pane', '-p', '-J', '-S', String(-Math.max(1, lines)), '-t', paneTarget(name)],
    ]);
  }

  /** Leave copy-mode: in it, send-keys are swallowed (docs/pitfalls.md "Copy mode swallows keys"). */
  async cancelMode(name: string): Promise<void> {
    await this.run([['send-keys', '-X', '-t', paneTarget(name), 'cancel']]);
  }

  /** Type text literally (`-l`): never read as key names such as `C-c` or `Enter`. */
  async sendLiteral(name: string, text: string): Promise<void> {
    await this.run([['send-keys', '-l', '-t', paneTarget(name), '--', text]]);
  }

  /** Press one named key (Enter, Escape …); only ever called with constants. */
  async sendKey(name: string, key: string): Promise<void> {
    await this.run([['send-keys', '-t', paneTarget(name), key]]);
  }

  /**
   * Multi-line or large text: load it into a named buffer from stdin (no argv size limit, no
   * tmux parsing) and paste it, bracketed when the program asked for it (-p), keeping LF (-r)
   * and deleting the buffer (-d).
   */
  async paste(name: string, text: string): Promise<void> {
    const buffer = `mf-${name}-${process.pid}-${randomBytes(4).toString('hex')}`;
    const paste = ['paste-buffer', '-d', '-p', '-r', '-b', buffer, '-t', paneTarget(name)];
    // through a control client: set and paste in one line, with every byte escaped
    // (lib/tmux/control-protocol.ts); a large text, or no client, loads from stdin
    const r = await this.viaControl([['set-buffer', '-b', buffer, '--', text], paste]);
    if (r) return void this.stdoutOf([paste], r);
    await this.run([['load-buffer', '-b', buffer, '-']], text);
    await this.run([paste]);
  }

  async setUserOption(name: string, key: string, value: string): Promise<void> {
    await this.run([['set-option', '-t', paneTarget(name), key, value]]);
  }

  /** argv for an interactive client: watch (read-only, ignore-size) or attach (takeover). */
  attachArgv(name: string, mode: 'watch' | 'attach'): string[] {
    const flags = mode === 'watch' ? ['-f', 'read-only,ignore-size'] : [];
    return this.argv(['attach-session', ...flags, '-t', sessionTarget(name)]);
  }
}
