/** Child processes for tests and benchmarks: fleetd, the CLI and backlog workers. No vitest here. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { FleetdClient } from '@/lib/client/fleetd.js';
import { FleetError } from '@/lib/errors.js';
import type { FleetHome } from '@/lib/home.js';
import { FLEET_BIN, ROOT } from './fleet-cli.js';

export { FLEET_BIN, ROOT };
export const WORKER = path.join(ROOT, 'test', 'support', 'worker.ts');

export interface Proc {
  child: ChildProcess;
  stdout: string[];
  stderr: string;
  exited: Promise<number | null>;
}

/** Collect a child's stdout as lines (as they arrive) and its exit code. */
export function track(child: ChildProcess): Proc {
  const proc: Proc = { child, stdout: [], stderr: '', exited: Promise.resolve(null) };
  let partial = '';
  child.stdout?.setEncoding('utf8').on('data', (s: string) => {
    const parts = (partial + s).split('\n');
    partial = parts.pop() ?? '';
    proc.stdout.push(...parts.filter(Boolean));
  });
  child.stderr?.setEncoding('utf8').on('data', (s: string) => (proc.stderr += s));
  proc.exited = new Promise((resolve) =>
    child.once('close', (code) => {
      if (partial) proc.stdout.push(partial);
      resolve(code);
    }),
  );
  return proc;
}

/**
 * The built CLI. The web panel is off (FLEET_WEB=off): its fixed default port would collide
 * between the many fleetds these tests run side by side, and it is not what they exercise.
 */
export function runFleetCli(args: string[], env: NodeJS.ProcessEnv): Proc {
  return track(
    spawn(process.execPath, [FLEET_BIN, ...args], {
      env: { ...process.env, FLEET_WEB: 'off', ...env },
    }),
  );
}

/** `fleet serve` from the built bundle as its own process; resolves once it answers. */
export async function spawnFleetd(home: FleetHome, env: NodeJS.ProcessEnv = {}): Promise<Proc> {
  const proc = runFleetCli(['serve'], { FLEET_HOME: home.root, ...env });
  await waitForHealth(home, proc);
  return proc;
}

export async function waitForHealth(
  home: FleetHome,
  proc?: Proc,
  timeoutMs = 90_000,
): Promise<void> {
  const client = new FleetdClient(home, { timeoutMs: 5000 });
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void proc?.exited.then(() => (exited = true));
  try {
    for (;;) {
      try {
        await client.health();
        return;
      } catch (e) {
        if (!(e instanceof FleetError && e.code === 'FLEETD_DOWN')) throw e;
      }
      if (exited) throw new Error(`fleetd exited while starting: ${proc?.stderr}`);
      if (Date.now() > deadline)
        throw new Error(`fleetd did not answer in ${timeoutMs} ms: ${proc?.stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    client.close();
  }
}

export interface WorkerConfig {
  mode: 'drain' | 'late-claimer' | 'reaper' | 'completer';
  home: string;
  owner: string;
  ttl?: number;
  /** print {"t":"ready"} and start only when a line arrives on stdin (benchmark barrier) */
  waitForGo?: boolean;
}

/** A backlog worker as a separate OS process (node + tsx), printing one JSON record per line. */
export function spawnWorker(config: WorkerConfig): Proc {
  return track(
    spawn(process.execPath, ['--import', 'tsx', WORKER, JSON.stringify(config)], {
      cwd: ROOT,
      env: { ...process.env, FLEET_HOME: config.home },
      stdio: [config.waitForGo ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    }),
  );
}

export async function finish(proc: Proc): Promise<void> {
  const code = await proc.exited;
  if (code !== 0) throw new Error(`worker exited ${code}: ${proc.stderr}`);
}

export type WorkerRecord =
  | { t: 'ready'; owner: string }
  | { t: 'claim'; id: string; fence: number; owner: string }
  | { t: 'done'; id: string; fence: number; owner: string }
  | { t: 'refused'; id: string; fence: number; owner: string; code: string; message: string }
  | { t: 'lost'; id: string; fence: number; owner: string; op: string };

export function records(proc: Proc): WorkerRecord[] {
  return proc.stdout.map((l) => JSON.parse(l) as WorkerRecord);
}
