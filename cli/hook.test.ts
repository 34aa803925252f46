import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import { hookNeed } from '../lib/attention/hook-need.js';
import { fleetHome } from '../lib/home.js';
import { readHookStatus } from '../lib/run/heartbeat.js';
import { listRuntimes, runtimeRegistry } from '../lib/runtimes/registry.js';
import type { RuntimeAdapter } from '../lib/runtimes/types.js';
import type { CliContext } from './context.js';
import { registerHookCommands } from './hook.js';

// `fleet hook <id>` exists for every registered runtime with native reports, read by its
// adapter alone: this one is defined here and registered nowhere else.
const toy: RuntimeAdapter = {
  ...listRuntimes().find((a) => !a.native)!,
  id: 'toy',
  title: 'Toy agent',
  nativeState: 'notify',
  native: {
    wire: () => ({}),
    hook: {
      argument: '<state>',
      help: 'busy | boom',
      payloadOnStdin: false,
      read: (arg) => {
        if (arg === 'boom') throw new Error('toy parser broke');
        if (arg === 'ask') return { status: 'waiting', event: 'toy-ask', note: 'may I?\x1b[2J' };
        return { status: arg === 'busy' ? 'busy' : null, event: `toy-${arg}` };
      },
    },
  },
};

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function run(args: string[], env: NodeJS.ProcessEnv, stdin = '') {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fleet-hook-'));
  dirs.push(dir);
  const home = fleetHome(dir);
  mkdirSync(home.runDir, { recursive: true });
  const errors: string[] = [];
  const ctx: CliContext = {
    home,
    env,
    out: () => {},
    err: (l) => errors.push(l),
    interactive: false,
  };
  const program = new Command('fleet').exitOverride();
  registerHookCommands(program, ctx, runtimeRegistry([...listRuntimes(), toy]), () => stdin);
  await program.parseAsync(args, { from: 'user' });
  const status = () => readFileSync(path.join(home.runDir, 'a.status'), 'utf8');
  return { errors, status, record: () => readHookStatus(home, 'a') };
}

describe('fleet hook <runtime>', () => {
  it("records a registered runtime's report as its adapter reads it", async () => {
    const r = await run(['hook', 'toy', 'busy'], {
      MOSAIC_AGENT_NAME: 'a',
      MOSAIC_AGENT_EPOCH: '5',
    });
    expect(r.status()).toMatch(/^ts=\S+ pid=0 status=busy epoch=5 src=hook event=toy-busy\n$/);
    expect(r.errors).toEqual([]);
  });

  it('writes nothing for a call that is not a state change, and survives a broken reader', async () => {
    const quiet = await run(['hook', 'toy', 'hello'], { MOSAIC_AGENT_NAME: 'a' });
    expect(quiet.status).toThrow(/ENOENT/);
    const broken = await run(['hook', 'toy', 'boom'], { MOSAIC_AGENT_NAME: 'a' });
    expect(broken.errors).toEqual(['fleet hook: toy parser broke']);
    expect(broken.status).toThrow(/ENOENT/);
  });

  it("records the adapter's note as one escaped word", async () => {
    const r = await run(['hook', 'toy', 'ask'], {
      MOSAIC_AGENT_NAME: 'a',
      MOSAIC_AGENT_EPOCH: '5',
    });
    expect(r.status()).toMatch(
      /^ts=\S+ pid=0 status=waiting epoch=5 src=hook event=toy-ask note=may%20I\?\\x1B\[2J\n$/,
    );
    expect(r.record()?.note).toBe('may I?\\x1B[2J');
  });

  it("records Claude Code's Notification message from stdin, for the inbox to show", async () => {
    const env = { MOSAIC_AGENT_NAME: 'a', MOSAIC_AGENT_EPOCH: '2' };
    const newer = await run(
      ['hook', 'claude', 'Notification'],
      env,
      JSON.stringify({
        session_id: 's1',
        transcript_path: '/home/me/.claude/projects/-w/s1.jsonl',
        cwd: '/w',
        hook_event_name: 'Notification',
        message: 'Claude needs your permission to use Bash',
        notification_type: 'permission_prompt',
      }),
    );
    expect(newer.status()).toMatch(
      /^ts=\S+ pid=0 status=waiting epoch=2 src=hook event=Notification note=permission_prompt:%20Claude%20needs%20your%20permission%20to%20use%20Bash\n$/,
    );
    expect(hookNeed(newer.record())).toEqual({
      reason: 'permission',
      evidence: 'Claude Code: permission_prompt: Claude needs your permission to use Bash',
      resetAt: null,
    });

    // a wording not about permission (made up: only the permission and idle ones are on record)
    const older = await run(
      ['hook', 'claude', 'Notification'],
      env,
      '{"session_id":"s1","hook_event_name":"Notification","message":"Claude needs your input to continue","title":"Claude Code"}',
    );
    expect(older.record()).toMatchObject({
      status: 'waiting',
      event: 'Notification',
      note: 'Claude needs your input to continue',
    });
    expect(hookNeed(older.record())?.reason).toBe('question');

    const idle = await run(['hook', 'claude', 'Stop'], env, '{"hook_event_name":"Stop"}');
    expect(idle.status()).toMatch(/ src=hook event=Stop\n$/);
    expect(hookNeed(idle.record())).toBeNull();
  });
});
