/**
 * `fleet serve`, `fleet backlog …` and `fleet db …` from the built bundle, as an agent in a
 * pane would run them, against a detached fleetd in a temp FLEET_HOME.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pidAlive } from '../server/lock.js';
import { runFleetCli, tempHome } from './support/fleetd.js';
import type { FleetHome } from '../lib/home.js';

async function fleet(home: FleetHome, ...args: string[]) {
  const p = runFleetCli(args, { FLEET_HOME: home.root, MOSAIC_AGENT_NAME: '' });
  const code = await p.exited;
  return { code, stdout: p.stdout.join('\n'), stderr: p.stderr };
}

async function json<T>(home: FleetHome, ...args: string[]): Promise<T> {
  const r = await fleet(home, ...args, '--json');
  if (r.code !== 0) throw new Error(`fleet ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

async function stopDetached(home: FleetHome): Promise<void> {
  const pid = Number(readFileSync(path.join(home.runDir, 'fleetd.pid'), 'utf8'));
  process.kill(pid, 'SIGTERM');
  while (pidAlive(pid)) await new Promise((r) => setTimeout(r, 50));
}

interface CardJson {
  id: string;
  status: string;
  fence: number;
  tenant_id: string;
  host: string;
  depends_on: string[];
}

describe('the fleet CLI over a detached fleetd', () => {
  let home: FleetHome;
  let cleanup: () => void;
  let pid: number;

  beforeAll(async () => {
    ({ home, cleanup } = tempHome({ seeded: true }));
    const started = await json<{
      pid: number;
      already_running: boolean;
      tenant_id: string;
      host: string;
    }>(home, 'serve', '--detach');
    expect(started).toMatchObject({
      already_running: false,
      tenant_id: 'default',
      host: expect.any(String),
    });
    pid = started.pid;
  });
  afterAll(async () => {
    await stopDetached(home);
    cleanup();
  });

  it('wrote the pidfile and reports the running fleetd on a second --detach', async () => {
    expect(readFileSync(path.join(home.runDir, 'fleetd.pid'), 'utf8').trim()).toBe(String(pid));
    const again = await fleet(home, 'serve', '--detach');
    expect(again).toMatchObject({
      code: 0,
      stdout: `fleetd already running (pid ${pid}) on ${home.socket}`,
    });
  });

  it('creates, claims and completes cards, with tenant and host in every JSON answer', async () => {
    const a1 = await json<{
      created: boolean;
      card: CardJson & { acceptance: unknown };
      tenant_id: string;
      host: string;
    }>(
      home,
      'backlog',
      'create',
      '--id',
      'A1',
      '--title',
      'schema',
      '--priority',
      '5',
      '--criteria',
      'tables exist',
      '--check',
      'true',
    );
    expect(a1).toMatchObject({
      created: true,
      tenant_id: 'default',
      card: { id: 'A1', tenant_id: 'default' },
    });
    expect(a1.card.acceptance).toEqual({ criteria: ['tables exist'], check: 'true' });
    const a2 = await json<{ card: CardJson }>(
      home,
      'backlog',
      'create',
      '--id',
      'A2',
      '--title',
      'service',
      '--priority',
      '9',
      '--depends-on',
      'A1',
    );
    expect(a2.card.depends_on).toEqual(['A1']);

    const claim = await json<{ card: CardJson }>(
      home,
      'backlog',
      'claim',
      '--owner',
      'w1',
      '--ttl',
      '600',
    );
    expect(claim.card).toMatchObject({ id: 'A1', status: 'claimed', fence: 1 });

    const stale = await fleet(
      home,
      'backlog',
      'complete',
      '--id',
      'A1',
      '--owner',
      'w1',
      '--fence',
      '2',
    );
    expect(stale.code).toBe(4);
    expect(stale.stderr).toContain('card "A1" is not claimed by w1 with fence 2');
    const done = await fleet(
      home,
      'backlog',
      'complete',
      '--id',
      'A1',
      '--owner',
      'w1',
      '--fence',
      '1',
    );
    expect(done, done.stderr).toMatchObject({ code: 0, stdout: 'completed A1' });

    const ready = await json<{ cards: CardJson[]; host: string }>(
      home,
      'backlog',
      'list',
      '--ready-only',
    );
    expect(ready.cards.map((c) => c.id)).toEqual(['A2']);
    const stats = await json<{ counts: Record<string, number>; tenant_id: string; host: string }>(
      home,
      'backlog',
      'stats',
    );
    expect(stats).toMatchObject({
      counts: { ready: 1, claimed: 0, review: 0, blocked: 0, done: 1 },
      tenant_id: 'default',
    });
    expect(stats.host).toBe(ready.host);

    const human = await fleet(home, 'backlog', 'claim', '--owner', 'w2');
    expect(human.stdout).toContain(
      'finish with: fleet backlog complete --id A2 --owner w2 --fence 1',
    );
  });

  it('refuses a cycle naming it (exit 4) and reports usage errors (exit 2)', async () => {
    await json(home, 'backlog', 'create', '--id', 'B1', '--title', 'one');
    await json(home, 'backlog', 'create', '--id', 'B2', '--title', 'two', '--depends-on', 'B1');
    const cycle = await fleet(home, 'backlog', 'link', '--id', 'B1', '--depends-on', 'B2');
    expect(cycle.code).toBe(4);
    expect(cycle.stderr).toBe('fleet: link refused: it would create the cycle B1 -> B2 -> B1\n');
    const noFence = await fleet(home, 'backlog', 'complete', '--id', 'B1', '--owner', 'w');
    expect(noFence.code).toBe(2);
    expect(noFence.stderr).toContain('--fence is required');
    const noOwner = await fleet(home, 'backlog', 'claim');
    expect(noOwner.code).toBe(2);
    expect(noOwner.stderr).toContain('--owner is required (or set MOSAIC_AGENT_NAME)');
    const badStatus = await fleet(home, 'backlog', 'list', '--status', 'lost');
    expect(badStatus.code).toBe(2);
    expect(badStatus.stderr).toContain('status: ');
  });

  it('opens the store for psql through fleetd and closes it again', async () => {
    const url = await fleet(home, 'db', 'url');
    expect(url.code).toBe(0);
    // a Unix socket in run/, never TCP (test/db-door.test.ts has the rest)
    expect(url.stdout).toBe(
      `postgresql:///postgres?host=${encodeURIComponent(home.runDir)}&port=5432&user=postgres`,
    );
    expect(url.stderr).toContain('keep transactions short');
    expect((await fleet(home, 'db', 'close')).stdout).toBe('closed');
  });
});

describe('--start', () => {
  it('starts fleetd detached when it is down, then answers (wait exits 11 on timeout)', async () => {
    const { home, cleanup } = tempHome({ seeded: true });
    try {
      const r = await fleet(home, 'backlog', 'wait', '--timeout', '1', '--start');
      expect(r.stderr).toMatch(/^started fleetd \(pid \d+\) for /);
      expect(r.code).toBe(11);
      expect(r.stdout).toBe('nothing became claimable within 1s');
      const stats = await json<{ total: number }>(home, 'backlog', 'stats');
      expect(stats.total).toBe(0);
      await stopDetached(home);
    } finally {
      cleanup();
    }
  });
});
