import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMANDS, entriesFor } from './commands.js';
import { defaultContext } from './context.js';

const names = (p: Command) => p.commands.map((c) => c.name());

describe('the lazy command table', () => {
  it('each entry registers exactly the top-level names it claims', async () => {
    const ctx = defaultContext();
    for (const e of COMMANDS) {
      const p = new Command('fleet');
      (await e.load())(p, ctx);
      expect(names(p), e.names.join(',')).toEqual(e.names);
    }
  });

  it('a call loads what its command needs; help, no command and an unknown one load all', () => {
    const pick = (...argv: string[]) => entriesFor(argv).map((e) => e.names.join('+'));
    expect(pick('ps', '--json')).toEqual(['ps']);
    expect(pick('resume')).toEqual(['pause+resume']);
    expect(pick('install-systemd', '--dry-run')).toEqual(['install-systemd+uninstall-systemd']);
    // every module that adds to the `agent` group
    expect(pick('agent', 'send', 'w', '--', 'hi')).toEqual([
      'agent',
      'agent+comms-block',
      ...Array(7).fill('agent'),
    ]);
    expect(pick('--version')).toEqual([]);
    expect(pick('-V')).toEqual([]);
    for (const argv of [[], ['--help'], ['help', 'ps'], ['nosuch'], ['--version', '--help']])
      expect(entriesFor(argv)).toBe(COMMANDS);
  });

  it('all of them together register every command once, in the table order', async () => {
    const ctx = defaultContext();
    const p = new Command('fleet');
    for (const e of COMMANDS) (await e.load())(p, ctx);
    const want = [...new Set(COMMANDS.flatMap((e) => e.names))];
    expect(names(p)).toEqual(want);
    expect(want).toEqual(
      expect.arrayContaining(['drain', 'update', 'ps', 'agent', 'hook', 'user']),
    );
  });
});
