import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../cli/commands.js';
import { FLEET_BIN, ROOT, runFleet, tempHome } from './support/fleet-cli.js';

const LOG_LOADED = path.join(ROOT, 'test', 'support', 'log-loaded.mjs');
const LOG_BUILTINS = path.join(ROOT, 'test', 'support', 'log-builtins.cjs');
const ESM_LOADER = 'NativeModule internal/modules/esm/loader';

/** The built CLI loads only the command it runs (cli/commands.ts); help still shows them all. */
describe('the built fleet CLI, loading lazily', () => {
  const home = tempHome();
  afterAll(() => rmSync(home, { recursive: true, force: true }));
  it('--help lists every command; a group lists all its verbs; a typo gets a suggestion', async () => {
    const help = await runFleet(home, ['--help']);
    expect(help.code).toBe(0);
    for (const name of new Set(COMMANDS.flatMap((e) => e.names)))
      expect(help.stdout, name).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
    const agent = await runFleet(home, ['agent', '--help']);
    for (const verb of [
      'add',
      'remove',
      'contract',
      'send',
      'watch',
      'attach',
      'reset',
      'tail',
      'status',
    ])
      expect(agent.stdout, verb).toMatch(new RegExp(`^  ${verb}\\b`, 'm'));
    const typo = await runFleet(home, ['draim']);
    expect(typo.code).not.toBe(0);
    expect(typo.stderr).toMatch(/unknown command 'draim'[\s\S]*Did you mean drain\?/);
    const version = await runFleet(home, ['--version']);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("an agent's report on its card runs without the command parser, and ends as the parser's way does", async () => {
    const log = path.join(home, 'loaded.log');
    const run = async (args: string[]) => {
      rmSync(log, { force: true });
      const r = await runFleet(home, args, {
        env: { NODE_OPTIONS: `--import ${LOG_LOADED}`, MF_LOADED_LOG: log },
      });
      const files = readFileSync(log, 'utf8')
        .split('\n')
        .filter((u) => u.startsWith('file:'))
        .map((u) => fileURLToPath(u));
      const parser = files.some((f) =>
        readFileSync(f, 'utf8').includes('node_modules/commander/lib/command.js'),
      );
      return { ...r, parser };
    };
    const claim = ['--id', 'c-1', '--owner', 'w0', '--fence', '3'];
    // fleetd is not running in this home: both ways fail the same way
    const quick = await run(['backlog', 'complete', ...claim]);
    expect(quick.parser).toBe(false);
    expect(quick.code).toBe(7);
    expect(quick.stderr).toMatch(/^fleet: fleetd is not running for /);
    const parsed = await run(['backlog', 'complete', ...claim, '--owner', 'w0']);
    expect(parsed.parser).toBe(true);
    expect({ code: parsed.code, stderr: parsed.stderr }).toEqual({
      code: quick.code,
      stderr: quick.stderr,
    });
    const fail = await run(['backlog', 'fail', ...claim]);
    expect(fail.parser).toBe(false);
    expect(fail).toMatchObject({ code: 2, stderr: 'fleet: --reason is required\n' });
    const bad = await run(['backlog', 'complete', '--id', 'c-1', '--fence', 'three']);
    expect(bad.parser).toBe(true);
    expect(bad.stderr).toMatch(/argument 'three' is invalid\. not an integer/);
  });

  it("an agent's report, as agents run it (dist/fleet.cjs), never starts Node's ES module loader", async () => {
    expect(path.basename(FLEET_BIN)).toBe('fleet.cjs');
    const log = path.join(home, 'builtins.log');
    const builtins = async (args: string[]) => {
      rmSync(log, { force: true });
      const r = await runFleet(home, args, {
        env: { NODE_OPTIONS: `--require ${LOG_BUILTINS}`, MF_BUILTINS_LOG: log },
      });
      return { ...r, list: readFileSync(log, 'utf8').split('\n') };
    };
    const claim = ['--id', 'c-1', '--owner', 'w0', '--fence', '3'];
    const quick = await builtins(['backlog', 'complete', ...claim]);
    expect(quick.code).toBe(7);
    expect(quick.list).toContain('NativeModule http');
    expect(quick.list).not.toContain(ESM_LOADER);
    const version = await builtins(['--version']);
    expect(version.list).not.toContain(ESM_LOADER);
    // anything else loads the parser and its command from the ES modules beside it
    const parsed = await builtins(['backlog', 'complete', ...claim, '--owner', 'w0']);
    expect(parsed.list).toContain(ESM_LOADER);
    expect(parsed.stderr).toBe(quick.stderr);
  });

  it('dist/fleet.mjs, the same entry built as ES modules, still answers every way', async () => {
    const mjs = path.join(ROOT, 'dist', 'fleet.mjs');
    const claim = ['--id', 'c-1', '--owner', 'w0', '--fence', '3'];
    for (const args of [
      ['--version'],
      ['--help'],
      ['backlog', 'complete', ...claim],
      ['backlog', 'fail', ...claim],
      ['draim'],
    ]) {
      const [a, b] = await Promise.all([runFleet(home, args), runFleet(home, args, { bin: mjs })]);
      expect(b, args.join(' ')).toEqual(a);
    }
  });
});
