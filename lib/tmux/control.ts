import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import type { RunResult } from '../runner.js';
import { globalFlags, sessionTarget, type SocketRef } from './argv.js';
import { ControlReader, controlLine, type ControlBlock } from './control-protocol.js';

/**
 * One long-lived tmux control-mode client per tmux server, for fleetd (docs/pitfalls.md "Control
 * mode"). fleetd reads and types into panes all day; a tmux process per call costs a
 * fork of a large process and a client start, while a line on this client's stdin costs
 * neither. The client attaches to the fleet's holder session, so it needs the server and that
 * session to exist: until it is ready, or after it went away, `exec` answers null and the
 * caller runs its command the usual way (lib/runner.ts).
 *
 * Only commands that read panes or type into them go this way: their outcome is the same from
 * any client. Commands that start, kill or configure sessions keep their own process, with its
 * environment and working directory.
 */
const ROUTED = new Set([
  'capture-pane',
  'display-message',
  'has-session',
  'list-panes',
  'list-sessions',
  'list-windows',
  'paste-buffer',
  'send-keys',
  'set-buffer',
]);

/** Longer lines go the usual way (a large paste is loaded from stdin there). */
const MAX_LINE = 64 * 1024;
/** After a failed attach, the next one is tried no sooner than this. */
const RETRY_MS = 1_000;

export interface ControlSpec {
  bin: string;
  socket: SocketRef;
  env: NodeJS.ProcessEnv | undefined;
  /**
   * the session the client attaches to: the roster's holder, made with the server by `fleet up`
   * and by the supervisor before it starts an agent (lib/ops/lifecycle.ts ensureFleetServer);
   * the client never makes it, so it never starts a server
   */
  holder: string;
}

interface Pending {
  /** replies still to come: a failed command ends its list (tmux skips the rest) */
  left: number;
  stdout: string;
  resolve(r: RunResult | null): void;
  timer: NodeJS.Timeout;
}

export class ControlClient {
  private child: ChildProcessWithoutNullStreams | null = null;
  private ready = false;
  private retryAt = 0;
  private reader = new ControlReader();
  private readonly pending: Pending[] = [];
  private closed = false;
  /** the child is being killed: what it still prints answers nothing */
  private cut = false;

  constructor(private readonly spec: ControlSpec) {}

  /** Whether this command list can go through the control client (which may not be up yet). */
  static routes(commands: readonly (readonly string[])[]): string | null {
    if (!commands.every(([name]) => name !== undefined && ROUTED.has(name))) return null;
    const line = controlLine(commands);
    return line !== null && line.length <= MAX_LINE ? line : null;
  }

  /**
   * Run the command list on the control client. Null: the client is not up (a start is under
   * way) or the list cannot go this way, so the caller runs it as its own process. A result
   * looks as that process's would: stdout, the failing command's message as stderr, exit 1.
   */
  exec(
    commands: readonly (readonly string[])[],
    timeoutMs: number,
  ): Promise<RunResult | null> | null {
    const line = ControlClient.routes(commands);
    if (line === null || this.closed) return null;
    if (!this.ready || !this.child) {
      this.start();
      return null;
    }
    const child = this.child;
    return new Promise((resolve) => {
      const p: Pending = {
        left: commands.length,
        stdout: '',
        resolve,
        timer: setTimeout(() => this.timedOut(), timeoutMs),
      };
      this.pending.push(p);
      child.stdin.write(`${line}\n`);
    });
  }

  /** Stop the client; calls in flight are answered null and run the usual way. */
  close(): void {
    this.closed = true;
    this.stop();
  }

  private start(): void {
    if (this.child || this.closed || Date.now() < this.retryAt) return;
    this.retryAt = Date.now() + RETRY_MS;
    this.attach();
  }

  private attach(): void {
    if (this.child || this.closed) return;
    const { bin, socket, env, holder } = this.spec;
    const argv = [...globalFlags(socket), '-C', 'attach-session', '-f', 'no-output'];
    let child: ChildProcessWithoutNullStreams;
    try {
      child = spawn(bin, [...argv, '-t', sessionTarget(holder)], { env, stdio: 'pipe' });
    } catch {
      return;
    }
    this.child = child;
    this.cut = false;
    this.reader = new ControlReader();
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (text: string) => this.onOutput(text));
    child.stderr.resume();
    child.stdin.on('error', () => this.stop());
    child.on('error', () => this.stop());
    child.on('close', () => {
      if (this.child === child) this.gone();
    });
  }

  private onOutput(text: string): void {
    if (this.cut) return;
    for (const block of this.reader.feed(text)) this.onBlock(block);
    if (this.reader.exited) this.stop();
  }

  private onBlock(block: ControlBlock): void {
    if (!block.mine) {
      // the attach's own reply: an error means no server or no holder session (yet)
      if (!this.ready && block.ok) this.ready = true;
      return;
    }
    const p = this.pending[0];
    if (!p) return;
    if (!block.ok) {
      const stderr = block.lines.map((l) => `${l}\n`).join('');
      this.settle(p, { exitCode: 1, stdout: p.stdout, stderr, timedOut: false });
      return;
    }
    p.stdout += block.lines.map((l) => `${l}\n`).join('');
    if (--p.left === 0)
      this.settle(p, { exitCode: 0, stdout: p.stdout, stderr: '', timedOut: false });
  }

  private settle(p: Pending, r: RunResult | null): void {
    const i = this.pending.indexOf(p);
    if (i < 0) return;
    this.pending.splice(i, 1);
    clearTimeout(p.timer);
    p.resolve(r);
  }

  private stop(): void {
    const child = this.child;
    if (!child) return;
    this.cut = true;
    this.ready = false; // later calls go the usual way while it dies
    child.kill('SIGKILL');
  }

  /**
   * A command did not answer in its time, and it holds every later one. Whether those were
   * carried out cannot be known, so each ends as a timed-out process would, never run again
   * (a send typed twice is worse than one reported lost), and the client goes.
   */
  private timedOut(): void {
    for (const p of [...this.pending])
      this.settle(p, { exitCode: null, stdout: p.stdout, stderr: '', timedOut: true });
    this.stop();
  }

  /**
   * The client ended (server gone, holder killed, %exit, closed). A command still waiting got no
   * reply because the client left before carrying it out: it runs the usual way.
   */
  private gone(): void {
    this.child = null;
    this.ready = false;
    for (const p of [...this.pending]) this.settle(p, null);
  }
}

/**
 * The process's control clients, one per server and holder. Only a process that asked for them
 * (fleetd, `useTmuxControl`) has any; `FLEET_TMUX_CONTROL=0` turns them off.
 */
const clients = new Map<string, ControlClient>();
let users = 0;

/** fleetd's tmux calls go through control clients until the returned release is called. */
export function useTmuxControl(env: NodeJS.ProcessEnv = process.env): () => void {
  if (env.FLEET_TMUX_CONTROL === '0') return () => {};
  users++;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (--users > 0) return;
    for (const c of clients.values()) c.close();
    clients.clear();
  };
}

/** The shared control client for this server, or null when this process uses none. */
export function controlClientFor(spec: ControlSpec): ControlClient | null {
  if (users <= 0) return null;
  const key = JSON.stringify([
    spec.bin,
    spec.socket.name ?? null,
    spec.socket.path ?? null,
    (spec.env ?? process.env).TMUX_TMPDIR ?? null,
    spec.holder,
  ]);
  let c = clients.get(key);
  if (!c) clients.set(key, (c = new ControlClient(spec)));
  return c;
}
