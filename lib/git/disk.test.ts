import { linkSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { diskUsage } from './disk.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'mf-du-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('diskUsage', () => {
  it('sums file sizes in nested dirs, never following symlinks, hard links once', async () => {
    mkdirSync(path.join(dir, 'a', 'b'), { recursive: true });
    writeFileSync(path.join(dir, 'one'), 'x'.repeat(100));
    writeFileSync(path.join(dir, 'a', 'b', 'two'), 'y'.repeat(1000));
    linkSync(path.join(dir, 'a', 'b', 'two'), path.join(dir, 'hard'));
    const outside = mkdtempSync(path.join(os.tmpdir(), 'mf-du-out-'));
    writeFileSync(path.join(outside, 'big'), 'z'.repeat(100_000));
    const target = path.join(outside);
    symlinkSync(target, path.join(dir, 'link'));
    try {
      expect(await diskUsage(dir)).toBe(100 + 1000 + Buffer.byteLength(target));
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('is an error for a missing dir', async () => {
    await expect(diskUsage(path.join(dir, 'missing'))).rejects.toThrow(/ENOENT/);
  });
});
