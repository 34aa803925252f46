import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, readdirSync } from 'node:fs';
import { RebootFailure, Wait, describe, ok, progress, run, until, type Ran } from './proc.js';

/**
 * One Debian root booted with `systemd-nspawn --boot`. The host's PID 1 is not systemd (no
 * machined), so the container is not registered: it is driven with `nsenter` into its init,
 * found as the child of the nspawn process this runner started. A reboot inside ends nspawn
 * (docs/pitfalls.md); booting again starts a new nspawn on the same root.
 */
export interface Bind {
  host: string;
  inside: string;
}

export interface ContainerOptions {
  root: string;
  /** unique per run: nspawn's lock and propagation dir are named after it */
  machine: string;
  /** nspawn's own output and the container's console */
  logFile: string;
  readOnlyBinds: readonly Bind[];
}

/** A user inside the container, run as without any login session (no PAM, no logind). */
export interface User {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

interface Proc {
  pid: number;
  /** start time in clock ticks: tells a reused pid from ours */
  start: string;
}

function statOf(pid: number): { ppid: number; comm: string; start: string } | null {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = s.lastIndexOf(')');
    const comm = s.slice(s.indexOf('(') + 1, close);
    const rest = s.slice(close + 2).split(' ');
    return { ppid: Number(rest[1]), comm, start: rest[19]! };
  } catch {
    return null;
  }
}

const alive = (p: Proc): boolean => statOf(p.pid)?.start === p.start;

export const USER_PATH = '/usr/local/bin:/usr/bin:/bin';

export class Container {
  private exit: Promise<number | null> = Promise.resolve(null);
  private nspawnProc: Proc | null = null;
  private init: Proc | null = null;
  /** the nspawn command line of the last boot, for messages */
  command: string[] = [];

  constructor(private readonly o: ContainerOptions) {}

  running(): boolean {
    return this.nspawnProc !== null && alive(this.nspawnProc);
  }

  /** Start nspawn and wait until the container's systemd reports running (or degraded). */
  async boot(): Promise<string> {
    const log = openSync(this.o.logFile, 'a');
    const argv = [
      '--directory',
      this.o.root,
      '--boot',
      `--machine=${this.o.machine}`,
      '--register=no',
      '--keep-unit',
      '--private-network',
      '--console=pipe',
      ...this.o.readOnlyBinds.map((b) => `--bind-ro=${b.host}:${b.inside}`),
    ];
    this.command = ['systemd-nspawn', ...argv];
    // its own process group: a Ctrl-C reaches this runner, which stops the container itself
    const child = spawn('systemd-nspawn', argv, { stdio: ['ignore', log, log], detached: true });
    closeSync(log);
    this.exit = new Promise((resolve) => {
      child.on('exit', (code) => resolve(code));
      child.on('error', () => resolve(null));
    });
    const start = child.pid ? statOf(child.pid)?.start : undefined;
    if (!child.pid || !start) throw new RebootFailure(`${this.command.join(' ')} did not start`);
    this.nspawnProc = { pid: child.pid, start };
    this.init = await until(
      'the container init (systemd) under nspawn',
      30_000,
      async () => {
        if (!this.running()) throw new RebootFailure(`nspawn exited while booting`);
        return this.findInit() ?? new Wait('no systemd child yet');
      },
      100,
    );
    return until(
      'the container to finish booting',
      120_000,
      async () => {
        if (!this.running()) throw new RebootFailure(`nspawn exited while booting`);
        const r = await this.exec(['systemctl', 'is-system-running', '--wait'], {
          timeoutMs: 60_000,
        });
        const state = r.stdout.trim();
        return state === 'running' || state === 'degraded' ? state : new Wait(describe(r));
      },
      500,
    );
  }

  private findInit(): Proc | null {
    const parent = this.nspawnProc!.pid;
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      const s = statOf(Number(name));
      if (s && s.ppid === parent && s.comm === 'systemd')
        return { pid: Number(name), start: s.start };
    }
    return null;
  }

  /** Run argv in the container as root, or as `user` (uid/gid and env only: no session). */
  exec(argv: readonly string[], opts: { timeoutMs: number; user?: User }): Promise<Ran> {
    if (!this.init || !alive(this.init)) {
      return Promise.resolve({
        argv,
        code: null,
        stdout: '',
        stderr: 'the container is not running',
        timedOut: false,
        spawnError: 'the container is not running',
      });
    }
    const enter = ['nsenter', '--target', String(this.init.pid), '--all', '--'];
    if (!opts.user) return run([...enter, ...argv], { timeoutMs: opts.timeoutMs });
    const u = opts.user;
    const env = {
      HOME: u.home,
      USER: u.name,
      LOGNAME: u.name,
      XDG_RUNTIME_DIR: `/run/user/${u.uid}`,
      PATH: USER_PATH,
      LANG: 'C.UTF-8',
    };
    return run(
      [
        ...enter,
        'setpriv',
        `--reuid=${u.uid}`,
        `--regid=${u.gid}`,
        '--init-groups',
        'env',
        '-i',
        `--chdir=${u.home}`,
        ...Object.entries(env).map(([k, v]) => `${k}=${v}`),
        ...argv,
      ],
      { timeoutMs: opts.timeoutMs },
    );
  }

  /** `systemctl reboot` inside; resolves when nspawn has exited (the container is down). */
  async reboot(): Promise<void> {
    const r = await this.exec(['systemctl', 'reboot'], { timeoutMs: 30_000 });
    if (!ok(r)) progress(`reboot: ${describe(r)} (waiting for nspawn to exit anyway)`);
    if (!(await this.waitExit(120_000)))
      throw new RebootFailure(`the container did not go down within 120 s of systemctl reboot`);
  }

  private async waitExit(ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), ms)));
    const done = await Promise.race([this.exit.then(() => 'exited' as const), timeout]);
    // a pending timer would keep this runner alive long after the test is over
    clearTimeout(timer);
    return done === 'exited' || !this.running();
  }

  /** Power off, and kill what is left of it (our nspawn and its init, by pid) if that fails. */
  async stop(): Promise<void> {
    if (!this.running()) return;
    await this.exec(['systemctl', 'poweroff'], { timeoutMs: 15_000 });
    if (await this.waitExit(60_000)) return;
    progress('cleanup: poweroff did not end the container; SIGTERM to nspawn');
    process.kill(this.nspawnProc!.pid, 'SIGTERM');
    if (await this.waitExit(20_000)) return;
    this.kill();
    await this.waitExit(10_000);
  }

  /** Synchronous last resort (process exit): SIGKILL our nspawn and the container's init. */
  kill(): void {
    for (const p of [this.nspawnProc, this.init]) {
      if (p && alive(p)) process.kill(p.pid, 'SIGKILL');
    }
  }

  /** True when no mount of the host lies under `dir` (safe to delete). */
  static unmounted(dir: string): boolean {
    if (!existsSync('/proc/self/mountinfo')) return true;
    const mounts = readFileSync('/proc/self/mountinfo', 'utf8').split('\n');
    return !mounts.some((l) => {
      const at = l.split(' ')[4];
      return at === dir || at?.startsWith(`${dir}/`);
    });
  }
}
