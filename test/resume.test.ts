import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FleetPs } from '../lib/ops/snapshot.js';
import { FLOOR, supervisedHarnesses } from './support/supervised.js';
import { testFleet, until, type TestFleet } from './support/tmux-fleet.js';

/**
 * A restart reopens the conversation the runtime was in (docs/runtimes.md "Resume"), here with
 * the stub agent, which keeps its conversations in files as a real runtime does and reopens one
 * by id (`--resume`); the real Claude Code and Codex are proven by test/real-resume.ts.
 */
let fleets: TestFleet[] = [];
const fleet = (...a: Parameters<typeof testFleet>) => {
  const f = testFleet(...a);
  fleets.push(f);
  return f;
};
const harnesses = supervisedHarnesses();
afterEach(async (t) => {
  for (const f of fleets) f.cleanup();
  fleets = [];
  await harnesses.closeAll(t.task.result?.state === 'fail');
});

interface SessionJson {
  runtime: string;
  id: string | null;
  cwd: string;
  epoch: number;
}
const session = (f: TestFleet, name: string): SessionJson | null => {
  const file = path.join(f.home, 'run', `${name}.session.json`);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as SessionJson) : null;
};
const startCommand = (f: TestFleet, name: string) =>
  f.tmux(['display-message', '-p', '-t', `=${name}:`, '#{pane_start_command}']);
const row = async (f: TestFleet, name: string) =>
  (await f.json<FleetPs>(['ps'])).agents.find((r) => r.name === name)!;

describe('resume: a restart reopens the conversation', () => {
  it('records the id, restarts on it, says so in ps; --fresh, a lost conversation and reset_between_tasks start fresh', async () => {
    const f = fleet([
      { name: 'orch' },
      { name: 'enh' },
      { name: 'temp', class: 'implementer', extra: 'reset_between_tasks: true' },
    ]);
    expect((await f.run(['up', '--stagger', '50'])).code).toBe(0);
    await until(() => f.capture('orch').includes('[stub] conversation '), 'orch up');

    // the launcher picked the id and started the runtime on it
    const first = session(f, 'orch')!;
    expect(first).toMatchObject({ runtime: 'stub', cwd: f.home, epoch: 1 });
    expect(first.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(startCommand(f, 'orch')).toContain(`--session-id ${first.id}`);
    expect(await row(f, 'orch')).toMatchObject({ conversation: 'fresh', epoch: 1 });

    // something worth keeping in the conversation
    const said = await f.run(['agent', 'send', 'orch', '--verify', '--', 'remember $(the) `plan`']);
    expect(said.code).toBe(0);
    const file = path.join(f.home, 'stub-sessions', `${first.id}.jsonl`);
    await until(() => readFileSync(file, 'utf8').includes('remember $(the) `plan`'), 'kept');

    // a restart reopens it: same id, the runtime's own file read back
    const restarted = await f.run(['restart', 'orch']);
    expect(restarted.stdout).toContain('restarted orch (epoch 2, resumed conversation)');
    await until(() => f.capture('orch').includes('[stub] resumed conversation'), 'resumed');
    expect(f.capture('orch')).toContain(
      `[stub] resumed conversation ${first.id} (1 messages; last: [from`,
    );
    expect(startCommand(f, 'orch')).toContain(`--resume ${first.id}`);
    expect(startCommand(f, 'orch')).not.toContain('--session-id');
    expect(session(f, 'orch')!.id).toBe(first.id);
    const r2 = await row(f, 'orch');
    expect(r2).toMatchObject({ conversation: 'resumed', epoch: 2 });
    const table = await f.run(['ps']);
    expect(table.stdout).toMatch(/CONVERSATION/);
    expect(table.stdout).toMatch(/orch .* resumed/);

    // the contract is given once: through the runtime at launch, never typed into the
    // conversation (the stub logs every message it receives)
    expect(f.stubLog().filter((m) => m.text.includes('# ')).length).toBe(0);

    // --fresh: a new conversation, recorded
    const fresh = await f.run(['restart', 'orch', '--fresh']);
    expect(fresh.stdout).toContain('restarted orch (epoch 3, fresh conversation)');
    const third = session(f, 'orch')!;
    expect(third.id).not.toBe(first.id);
    expect(startCommand(f, 'orch')).toContain(`--session-id ${third.id}`);
    expect(existsSync(file)).toBe(true);

    // the runtime lost the conversation: a fresh start, and why, instead of a runtime error
    await until(() => existsSync(path.join(f.home, 'stub-sessions', `${third.id}.jsonl`)), 'file');
    rmSync(path.join(f.home, 'stub-sessions', `${third.id}.jsonl`));
    expect((await f.run(['restart', 'orch'])).stdout).toContain('fresh conversation');
    const launch = JSON.parse(readFileSync(path.join(f.home, 'run', 'orch.launch.json'), 'utf8'));
    expect(launch).toMatchObject({
      conversation: 'fresh',
      conversation_note: `stub no longer has conversation ${third.id}`,
    });
    await until(() => f.capture('orch').includes('[stub] conversation '), 'fresh again');
    expect(f.capture('orch')).not.toContain('No conversation found');

    // an ephemeral worker (reset_between_tasks) starts fresh every time
    const t1 = session(f, 'temp')!.id;
    expect((await f.run(['restart', 'temp'])).stdout).toContain('fresh conversation');
    expect(session(f, 'temp')!.id).not.toBe(t1);
    expect(startCommand(f, 'temp')).not.toContain('--resume');
  });

  it('a crashed agent restarted by the supervisor comes back on its conversation', async () => {
    const h = await harnesses.start(FLOOR);
    const f = h.fleet;
    // before the first start and between the death and the next, the session is not there
    const screen = () => {
      try {
        return f.capture('enh');
      } catch {
        return '';
      }
    };
    await until(() => screen().includes('[stub] conversation '), 'enh up');
    const id = session(f, 'enh')!.id;
    await f.run(['agent', 'send', 'enh', '--verify', '--', 'note one']);
    // the runtime dies on its own; fleetd's supervisor starts it again
    process.kill(f.panePid('enh'), 'SIGKILL');
    await until(() => screen().includes('[stub] resumed conversation'), 'resumed');
    expect(screen()).toContain(`resumed conversation ${id} (1 messages; last: [from`);
    expect(await row(f, 'enh')).toMatchObject({ conversation: 'resumed', epoch: 2, restarts: 1 });
  });

  it('roster resume: false starts fresh; a roster `command` agent cannot resume', async () => {
    const f = fleet([{ name: 'orch', extra: 'resume: false' }, { name: 'enh' }]);
    expect((await f.run(['up'])).code).toBe(0);
    await until(() => f.capture('orch').includes('[stub] conversation '), 'orch up');
    const id = session(f, 'orch')!.id;
    expect((await f.run(['restart', 'orch'])).stdout).toContain('fresh conversation');
    expect(session(f, 'orch')!.id).not.toBe(id);
    const bad = await f.run(['roster', 'validate']);
    expect(bad.code).toBe(0);
  });
});
