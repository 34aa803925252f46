import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FleetPs } from '../lib/ops/snapshot.js';
import type { SendReceipt } from '../lib/send/deliver.js';
import { testFleet, until, type AgentSpec, type TestFleet } from './support/tmux-fleet.js';

let fleets: TestFleet[] = [];
async function started(agents: AgentSpec[]): Promise<TestFleet> {
  const f = testFleet(agents);
  fleets.push(f);
  expect((await f.run(['up', '--stagger', '0'])).code).toBe(0);
  // ready = each stub answered its first heartbeat and shows its prompt
  await until(async () => {
    const ps = JSON.parse((await f.run(['ps', '--json'])).stdout) as FleetPs;
    return ps.agents.every((r) => r.heartbeat_status !== null);
  }, 'stubs up');
  return f;
}
afterEach(() => {
  for (const f of fleets) f.cleanup();
  fleets = [];
});

const label = `[from ${os.hostname()}:operator] `;

async function send(
  f: TestFleet,
  args: string[],
  extra?: NodeJS.ProcessEnv,
): Promise<{ code: number; r: SendReceipt; stderr: string }> {
  const res = await f.run(['agent', 'send', '--json', ...args], extra);
  return { code: res.code, r: JSON.parse(res.stdout || '{}') as SendReceipt, stderr: res.stderr };
}

describe('fleet agent send on a real pane', () => {
  it('delivers hostile text literally and submits it (verdict submitted)', async () => {
    const f = await started([{ name: 'a' }]);
    const texts = [
      '$(touch pwned1)',
      '`touch pwned2`',
      'C-c',
      'Enter',
      'ends with a semicolon;',
      ';',
      '#{session_name} %s ~ {a}',
      '-n dash first',
      '\'quotes" \\\\ back',
    ];
    for (const t of texts) {
      const { code, r } = await send(f, ['a', '--verify', '--', t]);
      expect(r).toMatchObject({
        agent: 'a',
        verdict: 'submitted',
        tenant_id: 'test-tenant',
        host: os.hostname(),
      });
      expect(code).toBe(0);
    }
    const multi = path.join(f.home, 'multi.txt');
    writeFileSync(multi, 'line one $(touch pwned3)\nline two;\n  indented `x`');
    expect((await send(f, ['a', '--verify', '--file', multi])).r.verdict).toBe('submitted');
    const big = path.join(f.home, 'big.txt');
    const bigText = Array.from({ length: 100 * 1024 }, (_, i) =>
      String.fromCharCode(33 + ((i * 7) % 94)),
    ).join('');
    writeFileSync(big, bigText);
    const bigSend = await send(f, ['a', '--verify', '--verify-timeout', '60', '--file', big]);
    expect(bigSend.r.verdict).toBe('submitted');

    expect(f.stubLog().map((l) => l.text)).toEqual([
      ...texts.map((t) => label + t),
      label + 'line one $(touch pwned3)\nline two;\n  indented `x`',
      label + bigText,
    ]);
    for (const dir of [f.home, process.cwd(), os.tmpdir()]) {
      expect(readdirSync(dir).filter((n) => n.startsWith('pwned'))).toEqual([]);
    }
  });

  it('refuses control characters with a clear error and types nothing', async () => {
    const f = await started([{ name: 'a' }]);
    const file = path.join(f.home, 'ctl.txt');
    writeFileSync(file, 'stop\x03now');
    const r = await f.run(['agent', 'send', 'a', '--verify', '--file', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/control character U\+0003 at offset 4/);
    expect(f.stubLog()).toEqual([]);
  });

  it('never merges with a draft (refused_draft) and leaves the draft as it was', async () => {
    const f = await started([{ name: 'a', env: { MOSAIC_STUB_DRAFT: 'half typed thought' } }]);
    const before = f.capture('a');
    expect(before).toMatch(/^stub> half typed thought$/m);
    const { code, r } = await send(f, ['a', '--verify', '--', 'new message']);
    expect(r.verdict).toBe('refused_draft');
    expect(r.detail).toContain('half typed thought');
    expect(code).toBe(21);
    expect(f.capture('a')).toBe(before);
    expect(f.stubLog()).toEqual([]);
  });

  it('reports typed_not_submitted when Enter is not taken in time', async () => {
    const f = await started([{ name: 'a', env: { MOSAIC_STUB_SLOW_ACCEPT: '5000' } }]);
    const { code, r } = await send(f, [
      'a',
      '--verify',
      '--verify-timeout',
      '1.5',
      '--',
      'slow one',
    ]);
    expect(r.verdict).toBe('typed_not_submitted');
    expect(code).toBe(20);
    expect(f.capture('a')).toMatch(/^stub> \[from .*\] slow one$/m);
  });

  it('reports no_evidence when the agent does not read its input', async () => {
    const f = await started([{ name: 'a', env: { MOSAIC_STUB_HANG: '1' } }]);
    const { code, r } = await send(f, [
      'a',
      '--verify',
      '--verify-timeout',
      '1',
      '--',
      'anyone there?',
    ]);
    expect(r.verdict).toBe('no_evidence');
    expect(code).toBe(22);
  });

  it('reports send_failed for a stopped agent and for a dead pane', async () => {
    const f = await started([{ name: 'a' }, { name: 'b' }]);
    await f.run(['down', 'a']);
    const gone = await send(f, ['a', '--verify', '--', 'hello']);
    expect(gone.r.verdict).toBe('send_failed');
    expect(gone.r.detail).toContain(`no session "a" on socket ${f.socket}`);
    expect(gone.code).toBe(23);
    await f.run(['agent', 'send', 'b', '--', 'crash']);
    await until(
      async () =>
        (JSON.parse((await f.run(['ps', '--json'])).stdout) as FleetPs).agents[1]!.session ===
        'dead',
      'b dead',
    );
    const dead = await send(f, ['b', '--verify', '--', 'hello']);
    expect(dead.r).toMatchObject({
      verdict: 'send_failed',
      detail: expect.stringContaining('pane is dead'),
    });
  });

  it('queues while an operator holds a takeover, and --when-idle waits for idle', async () => {
    const f = await started([{ name: 'a' }, { name: 'busy', env: { MOSAIC_STUB_BUSY: '1' } }]);
    writeFileSync(
      path.join(f.home, 'run', 'a.takeover'),
      JSON.stringify({ who: 'ops', host: os.hostname(), pid: process.pid, since: 'now' }),
    );
    const held = await send(f, ['a', '--verify', '--wait', '0.5', '--', 'later please']);
    expect(held.r).toMatchObject({
      verdict: 'queued',
      detail: expect.stringContaining('operator takeover by ops@'),
    });
    expect(held.code).toBe(0);
    expect(readdirSync(path.join(f.home, 'run', 'queue', 'a'))).toHaveLength(1);
    expect(f.stubLog()).toEqual([]);

    const notIdle = await send(f, [
      'busy',
      '--verify',
      '--when-idle',
      '--wait',
      '0.5',
      '--',
      'when you can',
    ]);
    expect(notIdle.r).toMatchObject({
      verdict: 'queued',
      detail: expect.stringContaining('agent is working, not idle'),
    });

    // a task keeps "b" busy for a while; the when-idle send goes in once it is done
    const second = await f.run(['agent', 'send', 'a', '--wait', '0.2', '--', 'noop']); // still taken over
    expect(second.stdout).toMatch(/^a: queued/);
    expect(readdirSync(path.join(f.home, 'run', 'queue', 'a'))).toHaveLength(2);
    const f2 = await started([{ name: 'b' }]);
    expect((await send(f2, ['b', '--verify', '--', 'task t1 2'])).r.verdict).toBe('submitted');
    const after = await send(f2, [
      'b',
      '--verify',
      '--when-idle',
      '--wait',
      '30',
      '--',
      'after the task',
    ]);
    expect(after.r.verdict).toBe('submitted');
    const log = f2.stubLog().map((l) => l.text);
    expect(log).toEqual([label + 'task t1 2', label + 'after the task']);
    expect(f2.capture('b').indexOf('[stub] done t1')).toBeLessThan(
      f2.capture('b').indexOf('after the task'),
    );
  });

  it('serialises concurrent sends to one agent', async () => {
    const f = await started([{ name: 'a' }]);
    const msgs = ['first message here', 'second message here', 'third message here'];
    const rs = await Promise.all(
      msgs.map((m) => send(f, ['a', '--verify', '--source', 'lane:test', '--', m])),
    );
    expect(rs.map((x) => x.r.verdict)).toEqual(['submitted', 'submitted', 'submitted']);
    expect(
      f
        .stubLog()
        .map((l) => l.text)
        .sort(),
    ).toEqual(msgs.map((m) => `[from lane:test] ${m}`).sort());
    expect(existsSync(path.join(f.home, 'run', 'a.send.lock'))).toBe(false);
  });
});
