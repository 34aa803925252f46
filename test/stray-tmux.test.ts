import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { strayTestServers, stopStrayServers } from './support/stray-tmux.js';
import { until } from './support/tmux-fleet.js';

/** The integration teardown's net for tmux servers a test left (test/support/stray-tmux.ts). */
describe('stray test tmux servers', () => {
  it('stops a server whose directory is gone, and leaves one whose directory is there', async () => {
    const start = () => {
      const tmpdir = mkdtempSync(path.join(os.tmpdir(), 'mft-stray-'));
      const socket = `mf-test-${process.pid}-${randomBytes(3).toString('hex')}`;
      const env = { PATH: process.env.PATH, HOME: process.env.HOME, TMUX_TMPDIR: tmpdir };
      const tmux = (a: string[]) =>
        execFileSync('tmux', ['-L', socket, '-f', '/dev/null', ...a], { env, stdio: 'pipe' });
      tmux(['new-session', '-d', '-s', '_holder', 'sleep 600']);
      return { tmpdir, socket, tmux };
    };
    const left = start();
    const kept = start();
    try {
      rmSync(left.tmpdir, { recursive: true, force: true });
      const stray = strayTestServers();
      expect(stray.map((s) => s.socket)).toContain(left.socket);
      expect(stray.map((s) => s.socket)).not.toContain(kept.socket);
      const lines = stopStrayServers();
      expect(lines.some((l) => l.includes(left.socket))).toBe(true);
      await until(() => !strayTestServers().some((s) => s.socket === left.socket), 'stopped');
      kept.tmux(['has-session', '-t', '=_holder']);
    } finally {
      try {
        kept.tmux(['kill-server']);
      } catch {
        // already gone
      }
      rmSync(kept.tmpdir, { recursive: true, force: true });
    }
  });
});
