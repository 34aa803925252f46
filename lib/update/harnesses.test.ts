import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fleetHome } from '../home.js';
import { buildLaunchSpec } from '../launch/spec.js';
import { resolveAll } from '../roster/resolve.js';
import { rosterSchema } from '../roster/schema.js';
import { recordingRunner, type RunResult } from '../runner.js';
import { runtimes } from '../runtimes/registry.js';
import {
  decideHarness,
  formatHarnessOutcome,
  harnessResult,
  harnessTargets,
  missingMessage,
  npmFailure,
  npmInstallOf,
  updateHarnesses,
  type HarnessFacts,
  type HarnessTarget,
  type HarnessUpdate,
} from './harnesses.js';

const claudeTarget: HarnessTarget = {
  id: 'claude',
  bin: 'claude',
  npmPackage: '@anthropic-ai/claude-code',
  pathValue: '/usr/local/bin:/usr/bin',
};
const pkgDir = '/usr/local/lib/node_modules/@anthropic-ai/claude-code';

function facts(over: Partial<HarnessFacts> = {}): HarnessFacts {
  return {
    target: claudeTarget,
    exe: '/usr/local/bin/claude',
    realPath: `${pkgDir}/cli.js`,
    version: '2.1.3',
    npm: '/usr/local/bin/npm',
    ...over,
  };
}

function plan(): HarnessUpdate {
  const p = decideHarness(facts());
  if (p.kind !== 'update') throw new Error(`expected an update plan, got ${p.kind}`);
  return p;
}

const run = (r: Partial<RunResult>): RunResult => ({
  exitCode: 0,
  stdout: '',
  stderr: '',
  timedOut: false,
  ...r,
});

describe('npmInstallOf', () => {
  it('finds the prefix of a global or --prefix install, scoped or not', () => {
    expect(npmInstallOf(`${pkgDir}/bin/claude.exe`, '@anthropic-ai/claude-code')).toEqual({
      prefix: '/usr/local',
      packageDir: pkgDir,
    });
    expect(npmInstallOf('/opt/h/lib/node_modules/opencode-ai/bin/x', 'opencode-ai')).toEqual({
      prefix: '/opt/h',
      packageDir: '/opt/h/lib/node_modules/opencode-ai',
    });
  });

  it('is null for a native install, a look-alike package, a nested dependency, a project install', () => {
    const pkg = '@anthropic-ai/claude-code';
    expect(npmInstallOf('/home/u/.local/share/claude/versions/2.1.3', pkg)).toBeNull();
    expect(npmInstallOf('/usr/lib/node_modules/@anthropic-ai/claude-code-linux-x64/c', pkg)).toBe(
      null,
    );
    expect(
      npmInstallOf(`/usr/lib/node_modules/x/node_modules/lib/node_modules/${pkg}/c`, pkg),
    ).toBe(null);
    expect(npmInstallOf(`/home/u/proj/node_modules/${pkg}/cli.js`, pkg)).toBeNull();
  });
});

describe('decideHarness', () => {
  it('plans npm install -g --prefix <prefix> <pkg>@latest, as argv', () => {
    expect(plan()).toMatchObject({
      kind: 'update',
      version: '2.1.3',
      prefix: '/usr/local',
      packageDir: pkgDir,
      argv: [
        '/usr/local/bin/npm',
        'install',
        '-g',
        '--prefix',
        '/usr/local',
        '--no-audit',
        '--no-fund',
        '@anthropic-ai/claude-code@latest',
      ],
    });
  });

  it('says missing with the launcher’s words when the program is not on PATH', () => {
    const p = decideHarness(facts({ exe: null, realPath: null, version: null, npm: null }));
    expect(formatHarnessOutcome(p)).toBe(
      'claude: not updated: runtime "claude" needs "claude" (npm package @anthropic-ai/claude-code), ' +
        'not found on PATH; install it or set runtimes.claude.bin_dir in the roster',
    );
  });

  it('leaves a program that is not an npm install to its own updater', () => {
    const p = decideHarness(
      facts({
        exe: '/home/u/.local/bin/claude',
        realPath: '/home/u/.local/share/claude/versions/2.1.3',
        version: null,
        npm: null,
      }),
    );
    expect(p.kind).toBe('not_npm');
    expect(formatHarnessOutcome(p)).toBe(
      'claude: not updated: /home/u/.local/bin/claude (-> /home/u/.local/share/claude/versions/2.1.3) ' +
        'is not an npm install; update it with its own updater',
    );
    const plain = decideHarness(facts({ exe: '/usr/bin/claude', realPath: '/usr/bin/claude' }));
    expect(formatHarnessOutcome(plain)).toBe(
      'claude: not updated: /usr/bin/claude is not an npm install; update it with its own updater',
    );
  });

  it('fails without running anything when there is no npm', () => {
    const p = decideHarness(facts({ npm: null }));
    expect(formatHarnessOutcome(p)).toBe(
      `claude: update failed: npm not found (neither /usr/local/bin/npm nor on PATH); 2.1.3 is still installed (${pkgDir})`,
    );
  });

  it('prints the dry-run line with the exact command', () => {
    expect(formatHarnessOutcome(plan())).toBe(
      `claude: 2.1.3 at /usr/local/bin/claude (@anthropic-ai/claude-code, ${pkgDir}); would run: ` +
        '/usr/local/bin/npm install -g --prefix /usr/local --no-audit --no-fund @anthropic-ai/claude-code@latest',
    );
  });
});

describe('the launcher and the update say the same when the program is missing', () => {
  it('ends the launcher’s error with missingMessage', () => {
    const roster = rosterSchema.parse({
      version: 2,
      agents: [{ name: 'a1', class: 'implementer', runtime: 'claude' }],
    });
    const agent = resolveAll(roster, 'h1')[0]!;
    const adapter = runtimes.get('claude');
    let message = '';
    try {
      buildLaunchSpec({
        home: fleetHome('/fh'),
        agent,
        adapter,
        epoch: 1,
        socketName: 's',
        base: { PATH: '/usr/bin' },
        envFile: {},
        nodePath: '/opt/node/bin/node',
        frameworkFile: (rel) => rel,
        envBin: '/usr/bin/env',
        term: 'tmux-256color',
        umask: 0o022,
        resolve: () => null,
      });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toBe(
      `agent a1: ${missingMessage({ id: 'claude', bin: 'claude', npmPackage: adapter.npmPackage! })}`,
    );
  });
});

describe('harnessTargets', () => {
  it('keeps one target per npm runtime, on the PATH the launcher would give', () => {
    const roster = rosterSchema.parse({
      version: 2,
      runtimes: { codex: { bin_dir: '/opt/codex/bin' } },
      agents: [
        { name: 'a1', class: 'implementer', runtime: 'codex' },
        { name: 'a2', class: 'implementer', runtime: 'codex' },
        { name: 'a3', class: 'implementer', runtime: 'stub' },
        { name: 'a4', class: 'implementer', runtime: 'aider' },
        { name: 'a5', class: 'implementer', runtime: 'claude', command: 'my-claude --x' },
        { name: 'a6', class: 'implementer', runtime: 'pi', env: { PATH: '/pi/bin:/usr/bin' } },
      ],
    });
    const targets = harnessTargets(resolveAll(roster, 'h1'), runtimes.find, {
      base: { PATH: '/usr/bin:/bin' },
      nodePath: '/opt/node/bin/node',
    });
    expect(targets).toEqual([
      {
        id: 'codex',
        bin: 'codex',
        npmPackage: '@openai/codex',
        pathValue: '/opt/codex/bin:/opt/node/bin:/usr/bin:/bin',
      },
      {
        id: 'pi',
        bin: 'pi',
        npmPackage: '@mariozechner/pi-coding-agent',
        pathValue: '/opt/node/bin:/pi/bin:/usr/bin',
      },
    ]);
  });
});

describe('npmFailure', () => {
  it('names a registry it cannot reach (npm 11 install output, offline)', () => {
    const stderr = [
      'npm error code EAI_AGAIN',
      'npm error syscall getaddrinfo',
      'npm error errno EAI_AGAIN',
      'npm error request to https://registry.npmjs.org/@google%2fgemini-cli failed, reason: getaddrinfo EAI_AGAIN registry.npmjs.org',
      'npm error A complete log of this run can be found in: /root/.npm/_logs/x-debug-0.log',
    ].join('\n');
    expect(npmFailure(run({ exitCode: 1, stderr }))).toEqual({
      network: true,
      reason: 'no network: could not reach the npm registry (https://registry.npmjs.org/)',
    });
  });

  it('takes the registry from `npm ping`', () => {
    const stderr =
      'npm notice PING https://npm.example.test/api/npm/\nnpm error code ENOTFOUND\n' +
      'npm error request to https://npm.example.test/api/npm/-/ping failed, reason: getaddrinfo ENOTFOUND npm.example.test';
    expect(npmFailure(run({ exitCode: 1, stderr })).reason).toBe(
      'no network: could not reach the npm registry (https://npm.example.test/api/npm/)',
    );
  });

  it('says what npm said first, not its advice or its log path', () => {
    const e404 = [
      'npm error code E404',
      'npm error 404 Not Found - GET https://registry.npmjs.org/nope - Not found',
      'npm error 404',
      "npm error 404  'nope@latest' is not in this registry.",
      'npm error A complete log of this run can be found in: /x.log',
    ].join('\n');
    expect(npmFailure(run({ exitCode: 1, stderr: e404 }))).toEqual({
      network: false,
      reason: 'E404: 404 Not Found - GET https://registry.npmjs.org/nope - Not found',
    });
    const eacces = [
      'npm error code EACCES',
      'npm error syscall mkdir',
      'npm error path /usr/local/lib/node_modules/x',
      'npm error errno -13',
      "npm error Error: EACCES: permission denied, mkdir '/usr/local/lib/node_modules/x'",
      'npm error  [Error: EACCES: permission denied] {',
      'npm error The operation was rejected by your operating system.',
    ].join('\n');
    expect(npmFailure(run({ exitCode: 243, stderr: eacces })).reason).toBe(
      "Error: EACCES: permission denied, mkdir '/usr/local/lib/node_modules/x'",
    );
  });

  it('reads a timeout, a spawn failure and a silent exit', () => {
    expect(npmFailure(run({ exitCode: null, timedOut: true }), 600_000).reason).toBe(
      'npm did not finish in 600 s and was killed',
    );
    expect(npmFailure(run({ exitCode: null, stderr: 'ENOENT: spawn npm ENOENT' })).reason).toBe(
      'ENOENT: spawn npm ENOENT',
    );
    expect(npmFailure(run({ exitCode: 1 })).reason).toBe('npm exited with 1');
  });
});

describe('harnessResult and its line', () => {
  it('updated: old -> new with the package and where it lives', () => {
    const r = harnessResult(plan(), run({}), '2.1.9');
    expect(formatHarnessOutcome(r)).toBe(
      `claude: 2.1.3 -> 2.1.9 (@anthropic-ai/claude-code, ${pkgDir})`,
    );
  });

  it('current when npm leaves the same version', () => {
    expect(formatHarnessOutcome(harnessResult(plan(), run({}), '2.1.3'))).toBe(
      'claude: 2.1.3 is current',
    );
  });

  it('failed: the reason, and the version still installed', () => {
    const stderr = 'npm error code ENETUNREACH\nnpm error request to https://r.test/x failed';
    const r = harnessResult(plan(), run({ exitCode: 1, stderr }), '2.1.3');
    expect(formatHarnessOutcome(r)).toBe(
      'claude: update failed: no network: could not reach the npm registry (https://r.test/); ' +
        `2.1.3 is still installed (${pkgDir})`,
    );
    const gone = harnessResult(plan(), run({ exitCode: 1, stderr }), null);
    expect(formatHarnessOutcome(gone)).toMatch(
      /; nothing runnable is left at \/usr\/local\/bin\/claude$/,
    );
  });

  it('a zero exit with no readable version is a failure', () => {
    expect(harnessResult(plan(), run({}), null)).toMatchObject({
      kind: 'failed',
      reason: `npm succeeded but ${pkgDir}/package.json has no version`,
    });
  });
});

describe('updateHarnesses over a fake prefix (recording runner)', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** <dir>/lib/node_modules/@t/h, its bin <dir>/bin/h -> ../lib/node_modules/@t/h/cli.js */
  function fakeInstall(version: string): HarnessTarget {
    dir = mkdtempSync(path.join(os.tmpdir(), 'harness-unit-'));
    const pkg = path.join(dir, 'lib/node_modules/@t/h');
    mkdirSync(pkg, { recursive: true });
    mkdirSync(path.join(dir, 'bin'));
    writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: '@t/h', version }));
    writeFileSync(path.join(pkg, 'cli.js'), '#!/bin/sh\n');
    chmodSync(path.join(pkg, 'cli.js'), 0o755);
    symlinkSync('../lib/node_modules/@t/h/cli.js', path.join(dir, 'bin/h'));
    // never run (the runner records): <prefix>/bin/npm is the npm an update picks first
    writeFileSync(path.join(dir, 'bin/npm'), '#!/bin/sh\nexit 99\n', { mode: 0o755 });
    return { id: 'h', bin: 'h', npmPackage: '@t/h', pathValue: `${dir}/bin:/usr/bin:/bin` };
  }

  it('pings, then installs with the agents’ PATH and a long timeout', async () => {
    const t = fakeInstall('1.0.0');
    const runner = recordingRunner((argv) => {
      if (argv[1] === 'install')
        writeFileSync(
          path.join(dir, 'lib/node_modules/@t/h/package.json'),
          JSON.stringify({ version: '1.1.0' }),
        );
      return undefined;
    });
    const seen: string[] = [];
    const out = await updateHarnesses([t], {
      run: runner,
      env: { npm_config_fetch_retries: '0' },
      onOutcome: (o) => seen.push(formatHarnessOutcome(o)),
    });
    expect(out).toMatchObject([{ kind: 'updated', from: '1.0.0', to: '1.1.0', prefix: dir }]);
    expect(seen).toEqual([`h: 1.0.0 -> 1.1.0 (@t/h, ${dir}/lib/node_modules/@t/h)`]);
    expect(runner.calls.map((c) => c.argv)).toEqual([
      [`${dir}/bin/npm`, 'ping'],
      [
        `${dir}/bin/npm`,
        'install',
        '-g',
        '--prefix',
        dir,
        '--no-audit',
        '--no-fund',
        '@t/h@latest',
      ],
    ]);
    expect(runner.calls[1]!.opts).toMatchObject({
      timeoutMs: 600_000,
      env: { npm_config_fetch_retries: '0', PATH: t.pathValue },
    });
  });

  it('does not install when the registry cannot be reached (npm would use its cache)', async () => {
    const t = fakeInstall('1.0.0');
    const stderr =
      'npm notice PING https://registry.npmjs.org/\nnpm error code EAI_AGAIN\nnpm error request to https://registry.npmjs.org/-/ping failed';
    const runner = recordingRunner(() => ({ exitCode: 1, stderr }));
    const [o] = await updateHarnesses([t], { run: runner });
    expect(runner.calls.map((c) => c.argv[1])).toEqual(['ping']);
    expect(formatHarnessOutcome(o!)).toBe(
      'h: update failed: no network: could not reach the npm registry (https://registry.npmjs.org/); ' +
        `1.0.0 is still installed (${dir}/lib/node_modules/@t/h)`,
    );
  });

  it('installs anyway when ping fails for another reason (a registry without /-/ping)', async () => {
    const t = fakeInstall('1.0.0');
    const runner = recordingRunner((argv) =>
      argv[1] === 'ping'
        ? { exitCode: 1, stderr: 'npm error code E404\nnpm error 404 Not Found' }
        : undefined,
    );
    const [o] = await updateHarnesses([t], { run: runner });
    expect(runner.calls.map((c) => c.argv[1])).toEqual(['ping', 'install']);
    expect(o).toMatchObject({ kind: 'current', version: '1.0.0' });
  });

  it('pings once for several harnesses', async () => {
    const t = fakeInstall('1.0.0');
    const runner = recordingRunner();
    await updateHarnesses([t, { ...t, id: 'h2' }], { run: runner });
    expect(runner.calls.map((c) => c.argv[1])).toEqual(['ping', 'install', 'install']);
  });

  it('runs nothing on a dry run', async () => {
    const t = fakeInstall('1.0.0');
    const runner = recordingRunner();
    const [o] = await updateHarnesses([t], { run: runner, dryRun: true });
    expect(runner.calls).toEqual([]);
    expect(o).toMatchObject({ kind: 'update', version: '1.0.0' });
  });
});
