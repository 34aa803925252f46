import { readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { findExecutable } from '../launch/bin.js';
import { buildLaunchEnv, DEFAULT_PATH } from '../launch/env.js';
import { agentEnvVars } from '../roster/env.js';
import type { ResolvedAgent } from '../roster/resolve.js';
import type { Runner, RunResult } from '../runner.js';
import { shellQuote } from '../runtimes/args.js';
import type { RuntimeAdapter } from '../runtimes/types.js';

/**
 * The harness step of `fleet update` (docs/runtimes.md "Updating harnesses"): each runtime
 * program the roster uses that came from npm is updated with npm, the way it was installed.
 * The rules (what a path means, what to run, what npm's answer means, how it reads) are pure
 * functions over plain data; `gatherHarnessFacts` and `updateHarnesses` do the IO.
 */

/** One harness to update: a runtime's program, its npm package, and the PATH its agents get. */
export interface HarnessTarget {
  id: string;
  bin: string;
  npmPackage: string;
  pathValue: string;
}

/** What the file system says about one target. */
export interface HarnessFacts {
  target: HarnessTarget;
  /** the program as the launcher finds it on pathValue */
  exe: string | null;
  /** exe with every symlink resolved */
  realPath: string | null;
  /** package.json's version, when realPath lies in an npm install of the package */
  version: string | null;
  /** the npm that runs for that install: <prefix>/bin/npm, else npm on pathValue */
  npm: string | null;
}

interface Base {
  id: string;
  npmPackage: string;
}
export type HarnessMissing = Base & { kind: 'missing'; message: string };
export type HarnessNotNpm = Base & { kind: 'not_npm'; path: string; realPath: string };
interface AtInstall extends Base {
  path: string;
  prefix: string;
  packageDir: string;
  pathValue: string;
}
/** A planned npm update; `version` null when the installed package.json has none. */
export type HarnessUpdate = AtInstall & { kind: 'update'; version: string | null; argv: string[] };
export type HarnessUpdated = AtInstall & { kind: 'updated'; from: string | null; to: string };
export type HarnessCurrent = AtInstall & { kind: 'current'; version: string };
/** `installed`: the version found after the failure (null: nothing runnable is left). */
export type HarnessFailed = AtInstall & {
  kind: 'failed';
  reason: string;
  before: string | null;
  installed: string | null;
};

export type HarnessPlan = HarnessMissing | HarnessNotNpm | HarnessFailed | HarnessUpdate;
export type HarnessResult =
  HarnessMissing | HarnessNotNpm | HarnessFailed | HarnessUpdated | HarnessCurrent;
/** What `updateHarnesses` hands back: plans on a dry run, results otherwise. */
export type HarnessOutcome = HarnessPlan | HarnessResult;

export const NPM_TIMEOUT_MS = 10 * 60_000;
const PING_TIMEOUT_MS = 60_000;

/**
 * The distinct npm-installed runtimes these agents run, each with the PATH the launcher would
 * give them (lib/launch/spec.ts): bin_dir, then node's dir, then the roster's or the caller's
 * PATH. An agent whose roster `command` replaces the program does not count. Pass the agents of
 * this host (lib/ops/lifecycle.ts isLocal).
 */
export function harnessTargets(
  agents: readonly ResolvedAgent[],
  find: (id: string) => RuntimeAdapter | undefined,
  launch: { base: NodeJS.ProcessEnv; nodePath: string },
): HarnessTarget[] {
  const out = new Map<string, HarnessTarget>();
  for (const agent of agents) {
    const adapter = find(agent.runtime);
    if (agent.command || !adapter?.npmPackage || adapter.frameworkScript || out.has(adapter.id))
      continue;
    const env = buildLaunchEnv({
      base: launch.base,
      runtime: adapter.env,
      envFile: {},
      roster: agentEnvVars(agent),
      launch: {},
      pathFirst: [agent.binDir, path.dirname(launch.nodePath)],
      term: 'dumb',
    });
    out.set(adapter.id, {
      id: adapter.id,
      bin: adapter.bin,
      npmPackage: adapter.npmPackage,
      pathValue: env.PATH ?? DEFAULT_PATH,
    });
  }
  return [...out.values()];
}

/**
 * Where an npm global (or `--prefix`) install keeps the package that holds `realPath`:
 * `<prefix>/lib/node_modules/<npmPackage>/…`. Null for anything else, including the package
 * nested as another package's dependency, which `npm install -g` would not update.
 */
export function npmInstallOf(
  realPath: string,
  npmPackage: string,
): { prefix: string; packageDir: string } | null {
  const marker = `/lib/node_modules/${npmPackage}/`;
  const at = realPath.indexOf(marker);
  if (at < 0) return null;
  const prefix = realPath.slice(0, at) || '/';
  if (prefix.split('/').includes('node_modules')) return null;
  return { prefix, packageDir: realPath.slice(0, at + marker.length - 1) };
}

export function npmInstallArgv(npm: string, prefix: string, npmPackage: string): string[] {
  return [
    npm,
    'install',
    '-g',
    '--prefix',
    prefix,
    '--no-audit',
    '--no-fund',
    `${npmPackage}@latest`,
  ];
}

/** Same words as the launcher's (lib/launch/spec.ts `program`), so both read alike. */
export function missingMessage(t: { id: string; bin: string; npmPackage: string }): string {
  return (
    `runtime "${t.id}" needs "${t.bin}" (npm package ${t.npmPackage}), not found on PATH; ` +
    `install it or set runtimes.${t.id}.bin_dir in the roster`
  );
}

/** What to do for one harness, from what the file system says. Pure. */
export function decideHarness(f: HarnessFacts): HarnessPlan {
  const { id, npmPackage, pathValue } = f.target;
  if (!f.exe) return { kind: 'missing', id, npmPackage, message: missingMessage(f.target) };
  const realPath = f.realPath ?? f.exe;
  const install = npmInstallOf(realPath, npmPackage);
  if (!install) return { kind: 'not_npm', id, npmPackage, path: f.exe, realPath };
  const at = { id, npmPackage, path: f.exe, pathValue, ...install };
  if (!f.npm) {
    const reason = `npm not found (neither ${install.prefix}/bin/npm nor on PATH)`;
    return { ...at, kind: 'failed', reason, before: f.version, installed: f.version };
  }
  const argv = npmInstallArgv(f.npm, install.prefix, npmPackage);
  return { ...at, kind: 'update', version: f.version, argv };
}

export function planHarnessUpdates(facts: readonly HarnessFacts[]): HarnessPlan[] {
  return facts.map(decideHarness);
}

/** npm's errors for a registry it cannot reach: no name resolution, no route, no answer. */
const NETWORK_CODES = /\b(ENOTFOUND|EAI_AGAIN|ENETUNREACH|EHOSTUNREACH|ECONNREFUSED|ETIMEDOUT)\b/;
/** npm's error header and trailer lines, which say where, not what. */
const NPM_NOISE = /^(?:code|errno|syscall|path|dest|A complete log|\s|$)/;

/**
 * Why an npm run failed, as one line, and whether it is the network. The line is npm's first
 * error statement after its `code`/`errno` header: later lines are advice and the log's path.
 */
export function npmFailure(
  run: RunResult,
  timeoutMs = NPM_TIMEOUT_MS,
): { network: boolean; reason: string } {
  if (run.timedOut) {
    return { network: false, reason: `npm did not finish in ${timeoutMs / 1000} s and was killed` };
  }
  const text = `${run.stderr}\n${run.stdout}`;
  if (NETWORK_CODES.test(text)) {
    const url = /\bPING (\S+)/.exec(text)?.[1] ?? registryOf(/request to (\S+) failed/.exec(text));
    const where = url ? ` (${url})` : '';
    return { network: true, reason: `no network: could not reach the npm registry${where}` };
  }
  const said = text
    .split('\n')
    .map((l) => /^npm (?:error|ERR!) ?(.*)$/.exec(l)?.[1])
    .filter((l): l is string => l !== undefined && !NPM_NOISE.test(l));
  const code = /^npm (?:error|ERR!) code (\S+)/m.exec(text)?.[1];
  const first = said[0]?.trim() ?? run.stderr.trim().split('\n')[0];
  const reason = first
    ? code && !first.includes(code)
      ? `${code}: ${first}`
      : first
    : `npm exited with ${run.exitCode ?? 'no exit code'}`;
  return { network: false, reason };
}

function registryOf(m: RegExpExecArray | null): string | undefined {
  if (!m?.[1]) return undefined;
  try {
    return `${new URL(m[1]).origin}/`;
  } catch {
    return undefined;
  }
}

/** What npm's run and the package.json read after it mean. Pure. */
export function harnessResult(
  plan: HarnessUpdate,
  run: RunResult,
  after: string | null,
  timeoutMs = NPM_TIMEOUT_MS,
): HarnessResult {
  const { kind: _k, argv: _a, version: before, ...at } = plan;
  if (run.exitCode === 0 && !run.timedOut && after) {
    return after === before
      ? { ...at, kind: 'current', version: after }
      : { ...at, kind: 'updated', from: before, to: after };
  }
  const reason =
    run.exitCode === 0 && !run.timedOut
      ? `npm succeeded but ${plan.packageDir}/package.json has no version`
      : npmFailure(run, timeoutMs).reason;
  return failedUpdate(plan, reason, after);
}

/** The update did not happen; `installed` is what is there now. Pure. */
export function failedUpdate(
  plan: HarnessUpdate,
  reason: string,
  installed: string | null,
): HarnessFailed {
  const { kind: _k, argv: _a, version: before, ...at } = plan;
  return { ...at, kind: 'failed', reason, before, installed };
}

/** A command line to read (and paste): words quoted only when they need it. */
function showArgv(argv: readonly string[]): string {
  return argv.map((w) => (/^[\w@%+=:,./-]+$/.test(w) ? w : shellQuote(w))).join(' ');
}

/** One line per harness, for the CLI and the logs. */
export function formatHarnessOutcome(o: HarnessOutcome): string {
  switch (o.kind) {
    case 'missing':
      return `${o.id}: not updated: ${o.message}`;
    case 'not_npm': {
      const real = o.realPath === o.path ? '' : ` (-> ${o.realPath})`;
      return `${o.id}: not updated: ${o.path}${real} is not an npm install; update it with its own updater`;
    }
    case 'update':
      return (
        `${o.id}: ${o.version ?? 'unknown version'} at ${o.path} (${o.npmPackage}, ${o.packageDir}); ` +
        `would run: ${showArgv(o.argv)}`
      );
    case 'updated':
      return `${o.id}: ${o.from ?? 'unknown version'} -> ${o.to} (${o.npmPackage}, ${o.packageDir})`;
    case 'current':
      return `${o.id}: ${o.version} is current`;
    case 'failed': {
      const left =
        o.installed === null
          ? `nothing runnable is left at ${o.path}`
          : `${o.installed} is ${o.installed === o.before ? 'still ' : ''}installed (${o.packageDir})`;
      return `${o.id}: update failed: ${o.reason}; ${left}`;
    }
  }
}

// ---- IO ----

function readVersion(packageDir: string): string | null {
  try {
    const pkg: unknown = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
    const v = pkg && typeof pkg === 'object' && 'version' in pkg ? pkg.version : undefined;
    return typeof v === 'string' && v ? v : null;
  } catch {
    return null;
  }
}

export function gatherHarnessFacts(target: HarnessTarget): HarnessFacts {
  const exe = findExecutable(target.bin, target.pathValue);
  let realPath: string | null = null;
  try {
    realPath = exe ? realpathSync(exe) : null;
  } catch {
    realPath = null;
  }
  const install = realPath ? npmInstallOf(realPath, target.npmPackage) : null;
  if (!install) return { target, exe, realPath, version: null, npm: null };
  const npm =
    findExecutable(path.join(install.prefix, 'bin', 'npm'), '') ??
    findExecutable('npm', target.pathValue);
  return { target, exe, realPath, version: readVersion(install.packageDir), npm };
}

/** The version still there and runnable after npm ran (or did not). */
function installedNow(p: { path: string; packageDir: string }): string | null {
  return findExecutable(p.path, '') ? readVersion(p.packageDir) : null;
}

export interface UpdateHarnessesOptions {
  /** the process runner (lib/runner.ts); tests pass a recording or a namespaced one */
  run: Runner;
  /** only plan: nothing is run */
  dryRun?: boolean;
  /** npm's environment (npm_config_*); PATH is always the agents' */
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /** called with each outcome as soon as it is known */
  onOutcome?(o: HarnessOutcome): void;
}

/**
 * Update each target with npm, one at a time (two npm runs on one prefix would race). npm is
 * first asked to `ping` the registry: offline, `npm install` quietly installs the "latest" it
 * has in its cache and exits 0, which would read as "is current".
 */
export async function updateHarnesses(
  targets: readonly HarnessTarget[],
  opts: UpdateHarnessesOptions,
): Promise<HarnessOutcome[]> {
  const plans = planHarnessUpdates(targets.map(gatherHarnessFacts));
  const out: HarnessOutcome[] = [];
  let offline: string | null | undefined;
  for (const plan of plans) {
    let o: HarnessOutcome = plan;
    if (plan.kind === 'update' && !opts.dryRun) {
      const env = { ...(opts.env ?? process.env), PATH: plan.pathValue };
      // asked once: null (reachable) is an answer too
      if (offline === undefined) offline = await unreachable(opts.run, plan.argv[0]!, env);
      o = offline ? failedUpdate(plan, offline, installedNow(plan)) : await runNpm(plan, opts, env);
    }
    out.push(o);
    opts.onOutcome?.(o);
  }
  return out;
}

/** The no-network line when npm cannot reach its registry; null otherwise (also when the
 * registry has no ping endpoint: the install then says what is wrong). */
async function unreachable(
  run: Runner,
  npm: string,
  env: NodeJS.ProcessEnv,
): Promise<string | null> {
  const r = await run([npm, 'ping'], { env, timeoutMs: PING_TIMEOUT_MS });
  if (r.exitCode === 0) return null;
  const f = npmFailure(r, PING_TIMEOUT_MS);
  return f.network ? f.reason : null;
}

async function runNpm(
  plan: HarnessUpdate,
  opts: UpdateHarnessesOptions,
  env: NodeJS.ProcessEnv,
): Promise<HarnessResult> {
  const timeoutMs = opts.timeoutMs ?? NPM_TIMEOUT_MS;
  const r = await opts.run(plan.argv, { env, timeoutMs });
  return harnessResult(plan, r, installedNow(plan), timeoutMs);
}
