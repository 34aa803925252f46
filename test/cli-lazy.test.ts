import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../cli/commands.js';
import { runFleet, tempHome } from './support/fleet-cli.js';

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
});
