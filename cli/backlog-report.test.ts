import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import type { Opts } from './backlog-answer.js';
import { FENCED, quickOptions, type FencedName } from './backlog-report.js';
import { fencedVerb } from './backlog-verb.js';
import type { CliContext } from './context.js';

const ctx = {} as CliContext; // the capturing action below never reaches fleetd

/** What the command parser hands the verb's action for these words, or its error. */
async function parsed(argv: string[]): Promise<Opts | string> {
  const program = new Command('fleet').exitOverride().configureOutput({
    writeOut: () => undefined,
    writeErr: () => undefined,
  });
  const b = program.command('backlog');
  let got: Opts | null = null;
  for (const name of Object.keys(FENCED) as FencedName[])
    fencedVerb(ctx, b, name, async (o) => {
      got = { ...o };
    }).exitOverride();
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    return (e as { code: string }).code;
  }
  return got ?? 'no action';
}

const base = ['--id', 'c-1', '--owner', 'w0@vm#2', '--fence', '7'];

describe('the plain form of a fenced verb', () => {
  it('is read exactly as the command parser reads it', async () => {
    const same: string[][] = [
      ['backlog', 'complete', ...base],
      ['backlog', 'complete', '--id=c-1', '--owner=w0', '--fence=7', '--json'],
      ['backlog', 'complete', ...base, '--actual-spend', '0.25'],
      ['backlog', 'fail', ...base, '--reason', 'tests fail: $(rm -rf /) `x` ; "q"'],
      ['backlog', 'fail', ...base, '--reason=a=b'],
      ['backlog', 'renew', ...base, '--ttl', '60', '--start'],
      ['backlog', 'complete', '--id', 'c-1'],
    ];
    for (const argv of same) {
      const quick = quickOptions(argv);
      expect(quick, argv.join(' ')).not.toBeNull();
      expect(quick!.verb).toBe(argv[1]);
      expect(quick!.opts, argv.join(' ')).toEqual(await parsed(argv));
    }
  });

  it('leaves to the parser what it would refuse or read another way', async () => {
    const declined: string[][] = [
      ['backlog', 'complete', ...base, '--help'],
      ['backlog', 'complete', ...base, '-h'],
      ['backlog', 'complete', ...base, '--fence', '8'],
      ['backlog', 'complete', '--id', 'c-1', '--fence', 'seven'],
      ['backlog', 'complete', ...base, '--actual-spend', 'lots'],
      ['backlog', 'complete', ...base, '--reason', 'not its option'],
      ['backlog', 'complete', ...base, 'extra'],
      ['backlog', 'fail', ...base, '--reason', '-starts-with-a-dash'],
      ['backlog', 'complete', '--id', 'c-1', '--fence', '-1'],
      ['backlog', 'fail', ...base, '--reason'],
      ['backlog', 'fail', ...base, '--reason='],
      ['backlog', 'complete', ...base, '--json=yes'],
      ['backlog', 'complete', ...base, '--json', '--json'],
      ['backlog', 'claim', '--id', 'c-1'],
      ['backlog', 'list'],
      ['ps', 'complete', ...base],
    ];
    for (const argv of declined) expect(quickOptions(argv), argv.join(' ')).toBeNull();
    // what the parser makes of some of them: an error, or options of its own reading
    expect(await parsed(['backlog', 'complete', '--id', 'c-1', '--fence', 'seven'])).toBe(
      'commander.invalidArgument',
    );
    expect(await parsed(['backlog', 'complete', ...base, '--reason', 'x'])).toBe(
      'commander.unknownOption',
    );
    expect(await parsed(['backlog', 'fail', ...base, '--reason', '-x'])).toMatchObject({
      reason: '-x',
    });
  });
});
