import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { octal, tightenedMode, withUmask } from './perms.js';

describe('private modes', () => {
  it('takes group and other bits away and keeps the owner bits', () => {
    expect(tightenedMode(0o40755)).toBe(0o700);
    expect(tightenedMode(0o777)).toBe(0o700);
    expect(tightenedMode(0o1777)).toBe(0o1700);
    expect(tightenedMode(0o750)).toBe(0o700);
    expect(tightenedMode(0o500)).toBeNull();
    expect(tightenedMode(0o40700)).toBeNull();
  });

  it('writes modes the way chmod does', () => {
    expect(octal(0o40755)).toBe('0755');
    expect(octal(0o22)).toBe('0022');
    expect(octal(0o700)).toBe('0700');
  });
});

describe('withUmask', () => {
  it('passes every word on as a positional parameter, never as shell text', () => {
    const hostile = ['$(touch pwned)', '`id`', 'a; rm -rf x', "'", '"$@"', '*', '', 'two words'];
    const argv = withUmask(['printf', '%s\\n', ...hostile], 0o022);
    expect(argv.slice(0, 4)).toEqual(['/bin/sh', '-c', 'umask 0022; exec "$@"', 'sh']);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'withumask-'));
    try {
      const out = execFileSync(argv[0]!, argv.slice(1), { cwd: dir, encoding: 'utf8' });
      expect(out).toBe(hostile.map((w) => `${w}\n`).join(''));
      expect(() => statSync(path.join(dir, 'pwned'))).toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs the program under the given umask whatever the caller has', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'withumask-'));
    const file = path.join(dir, 'made');
    try {
      const argv = withUmask(['touch', file], 0o027);
      // the caller runs under fleetd's 077: the program must still get 027
      execFileSync('/bin/sh', ['-c', 'umask 077; exec "$@"', 'sh', ...argv]);
      expect(statSync(file).mode & 0o777).toBe(0o640);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses what is not a umask', () => {
    expect(() => withUmask(['true'], 0o1000)).toThrow(/not a umask/);
    expect(() => withUmask([], 0o022)).toThrow(/empty/);
  });
});
