import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, runFleet, type RunResult } from './fleet-cli.js';

/**
 * A throwaway fleet for integration tests: its own FLEET_HOME, its own unique tmux socket and
 * its own TMUX_TMPDIR, so even a stray call without -L could not reach the operator's tmux.
 * cleanup() kills that one server (`tmux -L <socket> kill-server`) and nothing else.
 */
export const STUB = path.join(ROOT, 'framework', 'stub', 'agent.mjs');

export interface AgentSpec {
  name: string;
  class?: string;
  runtime?: string;
  env?: Record<string, string>;
  extra?: string;
}

export interface TestFleet {
  home: string;
  socket: string;
  tmpdir: string;
  env: NodeJS.ProcessEnv;
  run(args: string[], env?: NodeJS.ProcessEnv): Promise<RunResult>;
  json<T>(args: string[]): Promise<T>;
  /** a raw tmux call on this fleet's socket (always -L) */
  tmux(args: string[]): string;
  capture(name: string): string;
  panePid(name: string): number;
  stubLog(): { text: string; epoch: number | null }[];
  cleanup(): void;
}

export function rosterYaml(
  socket: string,
  home: string,
  agents: AgentSpec[],
  interval = 1,
  defaults: Record<string, unknown> = {},
): string {
  const lines = [
    'version: 2',
    'tenant_id: test-tenant',
    `tmux: { socket_name: ${socket} }`,
    `defaults: ${JSON.stringify({ heartbeat_interval_seconds: interval, working_directory: home, ...defaults })}`,
    'agents:',
  ];
  agents.forEach((a, i) => {
    const cls = a.class ?? (i === 0 ? 'orchestrator' : 'enhancer');
    lines.push(`  - name: ${a.name}`, `    runtime: ${a.runtime ?? 'stub'}`, `    class: ${cls}`);
    if (a.env) lines.push(`    env: ${JSON.stringify(a.env)}`);
    if (a.extra) lines.push(...a.extra.split('\n').map((l) => `    ${l}`));
  });
  return lines.join('\n') + '\n';
}

export function testFleet(
  agents: AgentSpec[],
  opts: { interval?: number; rosterExtra?: string; defaults?: Record<string, unknown> } = {},
): TestFleet {
  const home = mkdtempSync(path.join(os.tmpdir(), 'mf-home-'));
  const tmpdir = mkdtempSync(path.join(os.tmpdir(), 'mft-'));
  const socket = `mf-test-${process.pid}-${randomBytes(3).toString('hex')}`;
  mkdirSync(path.join(home, 'run'), { recursive: true });
  // the CLI's env never reaches an agent: the stub's log path goes through the roster env
  const stubLog = path.join(home, 'stub.log');
  const withLog = agents.map((a) => ({ ...a, env: { MOSAIC_STUB_LOG: stubLog, ...a.env } }));
  writeFileSync(
    path.join(home, 'roster.yaml'),
    rosterYaml(socket, home, withLog, opts.interval, opts.defaults) + (opts.rosterExtra ?? ''),
  );
  const env: NodeJS.ProcessEnv = { TMUX_TMPDIR: tmpdir };
  const tmuxEnv = { PATH: process.env.PATH, HOME: process.env.HOME, TMUX_TMPDIR: tmpdir };
  const tmux = (args: string[]) =>
    execFileSync('tmux', ['-L', socket, ...args], {
      env: tmuxEnv,
      encoding: 'utf8',
      timeout: 10_000,
      // tmux's complaint is in the thrown error; not on the test run's stderr
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  const f: TestFleet = {
    home,
    socket,
    tmpdir,
    env,
    run: (args, extra) => runFleet(home, args, { env: { ...env, ...extra } }),
    json: async <T>(args: string[]) => {
      const r = await runFleet(home, [...args, '--json'], { env });
      if (r.code !== 0 && !r.stdout.trim().startsWith('{'))
        throw new Error(`fleet ${args.join(' ')}: ${r.code} ${r.stderr}`);
      return JSON.parse(r.stdout) as T;
    },
    tmux,
    capture: (name) => tmux(['capture-pane', '-p', '-J', '-t', `=${name}:`]),
    panePid: (name) =>
      Number(tmux(['display-message', '-p', '-t', `=${name}:`, '#{pane_pid}']).trim()),
    stubLog: () => {
      try {
        return readFileSync(stubLog, 'utf8')
          .trim()
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as { text: string; epoch: number | null });
      } catch {
        return [];
      }
    },
    cleanup: () => {
      try {
        execFileSync('tmux', ['-L', socket, 'kill-server'], {
          env: tmuxEnv,
          stdio: 'ignore',
          timeout: 10_000,
        });
      } catch {
        // no server: nothing to stop
      }
      // an agent killed with its server may still be renaming its last heartbeat into run/
      // while the tree goes: ENOTEMPTY is retried (Node's rm retries it with maxRetries)
      removeTree(home);
      removeTree(tmpdir);
    },
  };
  return f;
}

/**
 * Remove a test's temp tree. A process that outlived its tmux server (a contract sender, an agent) may
 * still write into it for a moment: retried for up to 5 s, then left for the system's /tmp
 * cleaning rather than failing a test that passed.
 */
export function removeTree(dir: string): void {
  for (let i = 0; ; i++) {
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
      return;
    } catch (e) {
      if (i >= 4) {
        console.log(`left ${dir}: ${(e as Error).message}`);
        return;
      }
    }
  }
}

/** Poll until `fn` returns a truthy value; the bound only keeps a broken run from hanging. */
export async function until<T>(
  fn: () => T | Promise<T>,
  what: string,
  timeoutMs = 20_000,
): Promise<Exclude<T, false | null | undefined | 0 | ''>> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v as Exclude<T, false | null | undefined | 0 | ''>;
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Is the process still there? A zombie (exited, not yet reaped by tmux) counts as gone. */
export const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
};
