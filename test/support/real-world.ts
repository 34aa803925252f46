/**
 * The throwaway world the real-runtime scripts (test/real-runtimes.ts, test/real-resume.ts) run
 * real agent CLIs in: the runtimes installed from npm into a prefix (REAL_RUNTIMES_PREFIX reuses
 * one, as test/real-runtimes.sh does for both scripts), a FLEET_HOME, a HOME with no credentials
 * or operator config, a git project, its own TMUX_TMPDIR and tmux socket, and an environment that
 * no credential of the machine running it reaches. The built `fleet` binary drives it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FLEET_BIN as FLEET, ROOT } from './fleet-cli.js';

export { FLEET, ROOT };

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The built `fleet` binary (built if missing) and the npm packages installed into a prefix
 * (a temp one unless REAL_RUNTIMES_PREFIX names one); returns the prefix.
 */
export function runtimesInstalled(pkgs: readonly string[], log: (s: string) => void): string {
  if (!existsSync(FLEET))
    execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
  const prefix = process.env.REAL_RUNTIMES_PREFIX || mkdtempSync(path.join(os.tmpdir(), 'mf-rt-'));
  const missing = pkgs.filter(
    (p) => !existsSync(path.join(prefix, 'node_modules', p, 'package.json')),
  );
  if (missing.length) {
    log(`npm install into ${prefix}: ${missing.join(' ')}`);
    execFileSync(
      'npm',
      ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--no-save', ...missing],
      { stdio: ['ignore', 'pipe', 'pipe'], timeout: 15 * 60_000, maxBuffer: 64 * 1024 * 1024 },
    );
  }
  return prefix;
}

export interface RealWorld {
  work: string;
  /** FLEET_HOME */
  home: string;
  /** HOME of the agents: no credentials, no config of the operator's */
  userHome: string;
  /** a git repository (branch main), every agent's working directory */
  project: string;
  socket: string;
  env: NodeJS.ProcessEnv;
  /** the built `fleet` binary with this world's environment */
  fleet(...args: string[]): string;
  /** tmux on this world's socket */
  tmux(...args: string[]): string;
  /** the pane of session `name`, with `-S` lines of history, or why there is none */
  screen(name: string, history?: number): string;
  /** kill the tmux server and, unless `keep`, remove the directory (retrying while runtimes die) */
  close(keep: boolean, log: (s: string) => void): void;
}

export function realWorld(o: {
  dirPrefix: string;
  socket: string;
  fleetTimeoutMs: number;
}): RealWorld {
  const work = mkdtempSync(path.join(os.tmpdir(), o.dirPrefix));
  const home = path.join(work, 'fleet');
  const userHome = path.join(work, 'home');
  const project = path.join(work, 'project');
  const tmpdir = path.join(work, 't');
  for (const d of [home, userHome, project, tmpdir]) mkdirSync(d, { recursive: true });
  execFileSync('git', ['init', '-q', '-b', 'main', project]);
  // Claude Code's first-run onboarding checks connectivity and exits without a network; a
  // ~/.claude.json that marks onboarding done and the project trusted (no credential in it)
  // lets it reach its prompt
  writeFileSync(
    path.join(userHome, '.claude.json'),
    JSON.stringify({
      hasCompletedOnboarding: true,
      theme: 'dark',
      projects: { [project]: { hasTrustDialogAccepted: true } },
    }),
  );
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    FLEET_HOME: home,
    HOME: userHome,
    TMUX_TMPDIR: tmpdir,
    XDG_CONFIG_HOME: path.join(userHome, '.config'),
  };
  delete env.TMUX;
  delete env.TMUX_PANE;
  // no credential of the machine running this may reach the runtimes
  for (const k of Object.keys(env)) if (/API_KEY|TOKEN|SECRET/.test(k)) env[k] = undefined;
  const tmux = (...args: string[]) =>
    execFileSync('tmux', ['-L', o.socket, ...args], { env, encoding: 'utf8', timeout: 10_000 });
  return {
    work,
    home,
    userHome,
    project,
    socket: o.socket,
    env,
    fleet: (...args) =>
      execFileSync(process.execPath, [FLEET, ...args], {
        env,
        encoding: 'utf8',
        timeout: o.fleetTimeoutMs,
      }),
    tmux,
    screen: (name, history) => {
      try {
        const back = history === undefined ? [] : ['-J', '-S', String(-history)];
        return tmux('capture-pane', '-p', ...back, '-t', `=${name}:`);
      } catch (e) {
        return `(no pane: ${(e as Error).message})`;
      }
    },
    close: (keep, log) => {
      try {
        tmux('kill-server');
      } catch {
        // already gone
      }
      if (keep) return;
      // runtimes may still be writing into HOME as they die: retry, and a leftover temp dir
      // is not a test failure
      try {
        rmSync(work, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
      } catch (e) {
        log(`could not remove ${work}: ${(e as Error).message}`);
      }
    },
  };
}

/** Run a script's main: its problems are printed by it, its exit code is its count. */
export function runScript(main: () => Promise<number>): void {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
