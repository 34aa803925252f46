import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findExecutable } from '../lib/launch/bin.js';
import { resolveAll } from '../lib/roster/resolve.js';
import { rosterSchema } from '../lib/roster/schema.js';
import { execFileRunner, recordingRunner, type Runner } from '../lib/runner.js';
import { runtimes } from '../lib/runtimes/registry.js';
import {
  formatHarnessOutcome,
  harnessTargets,
  updateHarnesses,
  type HarnessTarget,
} from '../lib/update/harnesses.js';

/**
 * The harness step of `fleet update` with real npm (docs/runtimes.md "Updating harnesses").
 * The harness is gemini's own package, @google/gemini-cli: the smallest of the adapters'
 * packages (one bundled file, ~20 MB packed; claude's and codex's native binaries are ~180 MB
 * each), installed at an older version into a temp prefix and pointed at with the roster's
 * `runtimes.gemini.bin_dir`. npm gets a cache of its own, so the run starts cold wherever it
 * runs: installing twice takes ~20 s on a 2-core machine. Needs the npm registry.
 */

const PKG = '@google/gemini-cli';
/** ~30 s on an idle 2-core machine, over 60 s on a busy one: downloads and npm's own work */
const NPM_TEST_TIMEOUT_MS = 300_000;
const OLD = '0.60.0';
const root = mkdtempSync(path.join(os.tmpdir(), 'fleet-harness-update-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const npm = findExecutable('npm', process.env.PATH ?? '');
const npmEnv = { ...process.env, npm_config_cache: path.join(root, 'cache') };
const canUnshare = (() => {
  try {
    execFileSync('unshare', ['-n', 'true'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

function npmRun(args: string[], env: NodeJS.ProcessEnv = npmEnv): string {
  if (!npm) throw new Error('npm is not on PATH');
  // npm 11 warns about gemini's dependencies' install scripts on stderr: kept out of the report
  return execFileSync(npm, args, { env, encoding: 'utf8', timeout: 120_000, stdio: 'pipe' });
}

/** gemini@OLD installed into <root>/<name>, as an operator's `npm install -g --prefix` would. */
function installOld(name: string): string {
  const prefix = path.join(root, name);
  npmRun(['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', `${PKG}@${OLD}`]);
  return prefix;
}

/** The target for the roster's gemini agents, whose bin_dir is <prefix>/bin. */
function geminiTarget(prefix: string): HarnessTarget {
  const roster = rosterSchema.parse({
    version: 2,
    runtimes: { gemini: { bin_dir: path.join(prefix, 'bin') } },
    agents: [{ name: 'g1', class: 'implementer', runtime: 'gemini' }],
  });
  const targets = harnessTargets(resolveAll(roster), runtimes.find, {
    base: process.env,
    nodePath: process.execPath,
  });
  expect(targets.map((t) => t.id)).toEqual(['gemini']);
  return targets[0]!;
}

function geminiVersion(prefix: string): string {
  return execFileSync(path.join(prefix, 'bin', 'gemini'), ['--version'], {
    encoding: 'utf8',
    timeout: 60_000,
  }).trim();
}

const installedVersion = (prefix: string): unknown =>
  (
    JSON.parse(
      readFileSync(path.join(prefix, 'lib/node_modules', PKG, 'package.json'), 'utf8'),
    ) as { version?: unknown }
  ).version;

/** Every program this runner starts runs in a network namespace of its own: no network. */
const offlineRunner =
  (only: (argv: readonly string[]) => boolean = () => true): Runner =>
  (argv, opts) =>
    execFileRunner(only(argv) ? ['unshare', '-n', ...argv] : argv, opts);

describe('fleet update --harnesses with real npm', () => {
  it(
    'plans, then updates an old npm install to latest; the harness runs afterwards',
    async () => {
      const prefix = installOld('a');
      const latest = npmRun(['view', PKG, 'version']).trim();
      expect(latest).not.toBe(OLD);
      const target = geminiTarget(prefix);
      const packageDir = path.join(prefix, 'lib/node_modules', PKG);

      const none = recordingRunner();
      const [plan] = await updateHarnesses([target], { run: none, dryRun: true });
      expect(none.calls).toEqual([]);
      expect(formatHarnessOutcome(plan!)).toBe(
        `gemini: ${OLD} at ${prefix}/bin/gemini (${PKG}, ${packageDir}); would run: ` +
          `${npm} install -g --prefix ${prefix} --no-audit --no-fund ${PKG}@latest`,
      );

      const [result] = await updateHarnesses([target], { run: execFileRunner, env: npmEnv });
      expect(formatHarnessOutcome(result!)).toBe(
        `gemini: ${OLD} -> ${latest} (${PKG}, ${packageDir})`,
      );
      expect(geminiVersion(prefix)).toBe(latest);
    },
    NPM_TEST_TIMEOUT_MS,
  );

  it.skipIf(!canUnshare)(
    'without network: failed, a clear line, and the old version still installed and runnable',
    async () => {
      const prefix = installOld('b');
      const target = geminiTarget(prefix);
      const packageDir = path.join(prefix, 'lib/node_modules', PKG);
      const noNetwork =
        'gemini: update failed: no network: could not reach the npm registry ' +
        `(https://registry.npmjs.org/); ${OLD} is still installed (${packageDir})`;
      const fast = { ...npmEnv, npm_config_fetch_retries: '0' };

      // npm's cache holds gemini's metadata now: offline, `npm install` would take its "latest"
      // from there and exit 0; the ping before it is what tells
      const [cached] = await updateHarnesses([target], { run: offlineRunner(), env: fast });
      expect(formatHarnessOutcome(cached!)).toBe(noNetwork);

      // the network gone between the ping and the install, with an empty cache: npm itself fails
      const cold = { ...fast, npm_config_cache: path.join(root, 'empty-cache') };
      const installOnly = offlineRunner((argv) => argv[1] === 'install');
      const [failed] = await updateHarnesses([target], { run: installOnly, env: cold });
      expect(formatHarnessOutcome(failed!)).toBe(noNetwork);

      expect(installedVersion(prefix)).toBe(OLD);
      expect(geminiVersion(prefix)).toBe(OLD);
    },
    NPM_TEST_TIMEOUT_MS,
  );
});

describe('fleet update --harnesses, nothing for npm to do', () => {
  const dir = (name: string): string => {
    const d = path.join(root, name);
    mkdirSync(d, { recursive: true });
    return d;
  };
  /** a real runtime on a PATH holding only `binDir`; node's dir is not searched */
  const target = (runtime: string, binDir: string): HarnessTarget => {
    const roster = rosterSchema.parse({
      version: 2,
      runtimes: { [runtime]: { bin_dir: binDir } },
      agents: [{ name: 'x1', class: 'implementer', runtime }],
    });
    const base = { PATH: dir('empty') };
    return harnessTargets(resolveAll(roster), runtimes.find, {
      base,
      nodePath: path.join(root, 'no-node', 'node'),
    })[0]!;
  };

  it('a program that is not an npm install is named and left alone', async () => {
    const bin = dir('native-bin');
    const script = path.join(bin, 'codex');
    writeFileSync(script, '#!/bin/sh\necho codex 0.1.0\n', { mode: 0o755 });
    const runner = recordingRunner();
    const [o] = await updateHarnesses([target('codex', bin)], { run: runner });
    expect(runner.calls).toEqual([]);
    expect(formatHarnessOutcome(o!)).toBe(
      `codex: not updated: ${script} is not an npm install; update it with its own updater`,
    );
    expect(readFileSync(script, 'utf8')).toBe('#!/bin/sh\necho codex 0.1.0\n');
  });

  it('a program that is not there is missing, in the launcher’s words', async () => {
    const runner = recordingRunner();
    const [o] = await updateHarnesses([target('opencode', dir('empty-bin'))], { run: runner });
    expect(runner.calls).toEqual([]);
    expect(o).toMatchObject({ kind: 'missing' });
    expect(formatHarnessOutcome(o!)).toBe(
      'opencode: not updated: runtime "opencode" needs "opencode" (npm package opencode-ai), ' +
        'not found on PATH; install it or set runtimes.opencode.bin_dir in the roster',
    );
  });
});
