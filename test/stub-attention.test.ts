import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseResetTime } from '../lib/attention/reset-time.js';
import { readAttention } from '../lib/attention/screen.js';
import { getRuntime } from '../lib/runtimes/registry.js';
import { classifyScreen } from '../lib/screen.js';
import { STUB, until } from './support/tmux-fleet.js';

/**
 * The stub's switches that need a human (framework/stub/agent.mjs, docs/runtimes.md
 * "Attention"), each in a real tmux pane, read back with lib/attention/screen.ts the way the
 * supervisor reads a capture. Every pane lives on a server of its own (`-L`, its own
 * TMUX_TMPDIR), and only that server is killed.
 */
const stub = getRuntime('stub');

interface Pane {
  lines(): string[];
  text(): string;
  keys(...keys: string[]): void;
  type(text: string): void;
  heartbeat(): string;
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function startStub(args: string[], env: Record<string, string> = {}): Pane {
  const tmpdir = mkdtempSync(path.join(os.tmpdir(), 'mft-att-'));
  const socket = `mf-att-${process.pid}-${randomBytes(3).toString('hex')}`;
  const hb = path.join(tmpdir, 'a1.hb');
  const tmux = (a: string[]) =>
    execFileSync('tmux', ['-L', socket, '-f', '/dev/null', ...a], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, TMUX_TMPDIR: tmpdir },
      encoding: 'utf8',
      timeout: 10_000,
    });
  cleanups.push(() => {
    try {
      tmux(['kill-server']);
    } catch {
      // the server is already gone
    }
    rmSync(tmpdir, { recursive: true, force: true });
  });
  const vars = { MOSAIC_AGENT_NAME: 'a1', MOSAIC_HEARTBEAT_FILE: hb, ...env };
  tmux([
    'new-session',
    '-d',
    '-s',
    'a1',
    '-x',
    '160',
    '-y',
    '40',
    ...Object.entries(vars).flatMap(([k, v]) => ['-e', `${k}=${v}`]),
    '--',
    process.execPath,
    STUB,
    ...args,
  ]);
  const text = () => tmux(['capture-pane', '-p', '-J', '-t', '=a1:']);
  const pane: Pane = {
    text,
    lines: () => text().replace(/\n$/, '').split('\n'),
    keys: (...keys) => {
      for (const k of keys) tmux(['send-keys', '-t', '=a1:', k]);
    },
    type: (t) => {
      tmux(['send-keys', '-l', '-t', '=a1:', '--', t]);
      tmux(['send-keys', '-t', '=a1:', 'Enter']);
    },
    heartbeat: () => {
      try {
        return readFileSync(hb, 'utf8');
      } catch {
        return '';
      }
    },
  };
  return pane;
}

async function prompted(p: Pane): Promise<void> {
  await until(() => /^stub(\[\w+\])?>/m.test(p.text()), 'the stub prompt');
}

const attention = (p: Pane, tz?: string) => readAttention(p.lines(), stub, Date.now(), tz);

describe('--ask-permission', () => {
  it('asks before a task; the approve key works it and the attention goes', async () => {
    const p = startStub(['--ask-permission']);
    await prompted(p);
    p.type('task t1 1');
    await until(() => attention(p)?.reason === 'permission', 'a permission attention');
    const a = attention(p)!;
    expect(a.resetAt).toBeNull();
    expect(a.evidence).toContain('[stub] permission needed: run `make check` for t1');
    expect(a.evidence).toContain('Allow this command? (y = yes, n = no)');
    expect(a.evidence.split('\n').at(-1)).toBe('stub[waiting]>');
    expect(classifyScreen(p.lines(), stub.screen)).toBe('waiting');
    await until(() => /status=waiting/.test(p.heartbeat()), 'heartbeat status waiting');
    expect(p.text()).not.toContain('working on t1');

    p.keys(...stub.approveKeys!);
    await until(() => p.text().includes('[stub] approved'), 'approved');
    expect(attention(p)?.reason).not.toBe('permission');
    await until(() => p.text().includes('[stub] done t1'), 'the task worked');
    await until(() => /stub> ?$/.test(p.text().trimEnd()), 'back at the idle prompt');
    expect(attention(p)).toBeNull();
    await until(() => /status=idle/.test(p.heartbeat()), 'heartbeat status idle');
  });

  it('the deny key skips the task; typed text stays in the input line', async () => {
    const p = startStub([], { MOSAIC_STUB_ASK_PERMISSION: '1' });
    await prompted(p);
    p.type('please do it: work: 1s --id c7');
    await until(() => attention(p)?.reason === 'permission', 'a permission attention');
    expect(attention(p)!.evidence).toContain('run `make check` for c7');

    // text typed first: `n` is part of it, not an answer
    p.keys('o', 'n');
    await until(() => /stub\[waiting\]> on$/.test(p.text().trimEnd()), 'the draft');
    expect(attention(p)?.reason).toBe('permission');
    p.keys('BSpace', 'BSpace');
    await until(() => /stub\[waiting\]>$/.test(p.text().trimEnd()), 'the draft erased');

    p.keys(...stub.denyKeys!);
    await until(() => p.text().includes('[stub] denied: not running it'), 'denied');
    await until(() => /status=idle/.test(p.heartbeat()), 'heartbeat status idle');
    expect(attention(p)).toBeNull();
    await new Promise((r) => setTimeout(r, 1500));
    expect(p.text()).not.toContain('working on c7');
    expect(p.text()).not.toContain('done c7');
  });
});

describe('--rate-limit', () => {
  it('keeps the first task under a usage limit until `continue`', async () => {
    const p = startStub(['--rate-limit', '3600']);
    await prompted(p);
    const before = Date.now();
    p.type('task t2 1');
    await until(() => attention(p)?.reason === 'rate_limited', 'a rate limit attention');
    const after = Date.now();
    const line = p.lines().find((l) => l.startsWith('[stub] Usage limit reached.'))!;
    expect(line).toMatch(
      /^\[stub\] Usage limit reached\. Your limit will reset at \d{2}:\d{2}:\d{2} \(UTC\)$/,
    );
    // the printed time is whole seconds of (print time + 3600 s), whatever zone reads it
    const a = attention(p, 'Europe/Paris')!;
    expect(a.resetAt).toBeGreaterThanOrEqual(Math.floor((before + 3_600_000) / 1000) * 1000);
    expect(a.resetAt).toBeLessThanOrEqual(after + 3_600_000);
    expect(parseResetTime(line, Date.now(), 'America/New_York')).toBe(a.resetAt);
    expect(a.evidence).toContain(line);
    expect(classifyScreen(p.lines(), stub.screen)).toBe('idle');
    await until(() => /status=idle/.test(p.heartbeat()), 'heartbeat status idle');

    // anything but the resume text hears the limit again
    p.type('are you there?');
    await until(
      () => p.text().split('[stub] Usage limit reached.').length === 3,
      'the limit said again',
    );
    expect(attention(p)).toMatchObject({ reason: 'rate_limited', resetAt: a.resetAt });
    expect(p.text()).not.toContain('working on t2');

    p.type(stub.resumeText ?? 'continue');
    await until(() => p.text().includes('[stub] done t2'), 'the kept task worked');
    expect(attention(p)).toBeNull();

    // only the first task met the limit
    p.type('task t3 1');
    await until(() => p.text().includes('[stub] done t3'), 'the next task worked at once');
  });
});

describe('--auth-fail', () => {
  it('says its key is refused, at an idle prompt, and works nothing', async () => {
    const p = startStub([], { MOSAIC_STUB_AUTH_FAIL: '1' });
    await prompted(p);
    const a = attention(p);
    expect(a).toMatchObject({ reason: 'auth_failed', resetAt: null });
    expect(a!.evidence).toContain('Invalid API key · Please run /login');
    expect(classifyScreen(p.lines(), stub.screen)).toBe('idle');

    p.type('task t4 1');
    await until(
      () => p.text().split('Invalid API key · Please run /login').length === 3,
      'refused again',
    );
    expect(attention(p)?.reason).toBe('auth_failed');
    await new Promise((r) => setTimeout(r, 1200));
    expect(p.text()).not.toContain('working on t4');
  });
});
