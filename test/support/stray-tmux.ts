/**
 * tmux servers a test fleet left behind (socket `mf-test-…`, test/support/tmux-fleet.ts) after
 * its test removed its TMUX_TMPDIR: no test can reach them any more. The integration teardown
 * stops them by pid and names each, so a leak stays visible without outliving the run. A server
 * whose directory still exists belongs to a run still going, and is left alone.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';

export interface StrayServer {
  pid: number;
  socket: string;
  tmpdir: string;
}

function argvOf(pid: string): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return [];
  }
}

function tmpdirOf(pid: string): string | null {
  try {
    const env = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
    return env.find((e) => e.startsWith('TMUX_TMPDIR='))?.slice('TMUX_TMPDIR='.length) ?? null;
  } catch {
    return null;
  }
}

export function strayTestServers(): StrayServer[] {
  const out: StrayServer[] = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    const argv = argvOf(pid);
    if (argv[0] !== 'tmux') continue;
    const socket = argv[argv.indexOf('-L') + 1];
    if (!argv.includes('-L') || !socket?.startsWith('mf-test-')) continue;
    const tmpdir = tmpdirOf(pid);
    if (tmpdir && !existsSync(tmpdir)) out.push({ pid: Number(pid), socket, tmpdir });
  }
  return out;
}

/** Stop each stray server; returns one line per server stopped. */
export function stopStrayServers(): string[] {
  return strayTestServers().map((s) => {
    try {
      process.kill(s.pid, 'SIGTERM');
    } catch {
      // gone meanwhile
    }
    return `a test left tmux server ${s.socket} (pid ${s.pid}) running after removing ${s.tmpdir}: stopped it`;
  });
}
