/**
 * fleetd under faults, as real processes from the built bundle: SIGKILL under load and restart,
 * a second fleetd, a stale lock, a clean SIGTERM, the CLI with no fleetd, and malformed API
 * requests.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FleetdClient } from '../lib/client/fleetd.js';
import type { FleetHome } from '../lib/home.js';
import {
  finish,
  records,
  runFleetCli,
  spawnFleetd,
  spawnWorker,
  startTestFleetd,
  tempHome,
  type Proc,
  type Running,
} from './support/fleetd.js';

const DOWN_MESSAGE = (root: string) =>
  `fleet: fleetd is not running for ${root} — start it with \`fleet serve\` ` +
  '(or the systemd unit: systemctl --user start mosaic-fleetd)\n';

function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(r.stdout.toString());
}

async function until(check: () => boolean, what: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('fleetd as a process', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  function home(): FleetHome {
    const h = tempHome({ seeded: true });
    cleanups.push(h.cleanup);
    return h.home;
  }

  async function serve(h: FleetHome): Promise<Proc> {
    const p = await spawnFleetd(h);
    cleanups.push(async () => {
      if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
      await p.exited;
    });
    return p;
  }

  it('loses no acknowledged completion when SIGKILLed under load and restarted', async () => {
    const h = home();
    const first = await serve(h);
    const api = new FleetdClient(h);
    cleanups.push(() => api.close());
    const ids = Array.from({ length: 240 }, (_, i) => `K-${i}`);
    for (let i = 0; i < ids.length; i += 40) {
      await Promise.all(ids.slice(i, i + 40).map((id) => api.backlog.create({ id, title: id })));
    }
    const workers = Array.from({ length: 4 }, (_, i) =>
      spawnWorker({ mode: 'completer', home: h.root, owner: `survivor-${i}`, ttl: 3 }),
    );
    const acked = () => workers.flatMap(records).filter((r) => r.t === 'done');
    await until(() => acked().length >= 40, '40 acknowledged completions');

    first.child.kill('SIGKILL');
    await first.exited;
    const ackedBeforeKill = acked();
    const second = await serve(h);
    await Promise.all(workers.map(finish));

    expect(second.stderr).toContain(`took over the lock of dead fleetd pid ${first.child.pid}`);
    const all = acked();
    expect(all.length).toBeGreaterThanOrEqual(ackedBeforeKill.length);
    const { events } = await api.backlog.events({ limit: 10_000 });
    const completed = events.filter((e) => e.kind === 'completed');
    for (const ack of all) {
      const { card } = await api.backlog.show(ack.id);
      expect(card.status, ack.id).toBe('done');
      expect(
        completed.filter((e) => e.card_id === ack.id),
        ack.id,
      ).toEqual([
        expect.objectContaining({
          actor: ack.owner,
          detail: expect.objectContaining({ fence: ack.fence }),
        }),
      ]);
    }
    const stats = await api.backlog.stats();
    expect(stats.counts.done).toBe(ids.length);
    expect(new Set(completed.map((e) => e.card_id)).size).toBe(completed.length);
  });

  it('refuses a second fleetd for the same home, naming the holder pid', async () => {
    const h = home();
    const first = await serve(h);
    const second = runFleetCli(['serve'], { FLEET_HOME: h.root });
    expect(await second.exited, second.stderr).toBe(8);
    expect(second.stderr).toContain(`locked by another fleetd (pid ${first.child.pid}`);
    const api = new FleetdClient(h);
    expect((await api.health()).pid).toBe(first.child.pid);
    api.close();
  });

  it('takes over a lock left by a dead process, and a stale socket file', async () => {
    const h = home();
    const dead = deadPid();
    mkdirSync(h.runDir, { recursive: true });
    writeFileSync(h.lock, `${dead}\n`);
    writeFileSync(h.socket, 'left behind');
    const p = await serve(h);
    expect(p.stderr).toContain(`took over the lock of dead fleetd pid ${dead}`);
    expect(statSync(h.socket).mode & 0o777).toBe(0o600);
  });

  it('shuts down cleanly on SIGTERM, removing its socket and lock', async () => {
    const h = home();
    const p = await serve(h);
    expect(existsSync(h.lock)).toBe(true);
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
    expect(p.stderr).toContain('stopped');
    expect(existsSync(h.socket)).toBe(false);
    expect(existsSync(h.lock)).toBe(false);
  });

  it('the CLI with fleetd down says so and how to start it, exit 7', async () => {
    const { home: h, cleanup } = tempHome();
    cleanups.push(cleanup);
    const cli = runFleetCli(['backlog', 'stats'], { FLEET_HOME: h.root });
    expect(await cli.exited).toBe(7);
    expect(cli.stderr).toBe(DOWN_MESSAGE(h.root));
    // a socket file left by a killed fleetd, with nobody listening, reads the same
    mkdirSync(h.runDir, { recursive: true });
    spawnSync(process.execPath, [
      '-e',
      "require('net').createServer().listen(process.argv[1], () => process.kill(process.pid, 'SIGKILL'))",
      h.socket,
    ]);
    expect(existsSync(h.socket)).toBe(true);
    const again = runFleetCli(['backlog', 'claim', '--owner', 'w'], { FLEET_HOME: h.root });
    expect(await again.exited).toBe(7);
    expect(again.stderr).toBe(DOWN_MESSAGE(h.root));
    // and it never touched the store
    expect(existsSync(h.dbDir)).toBe(false);
  });
});

/** Raw HTTP on the socket, for requests the typed client would never send. */
function raw(
  socketPath: string,
  method: string,
  path: string,
  body?: string,
): Promise<{ status: number; json: unknown; type?: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { socketPath, method, path, headers: { 'content-type': 'application/json' } },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (c: string) => (text += c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            json: JSON.parse(text) as unknown,
            type: res.headers['content-type'],
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('malformed API requests', () => {
  let run: Running;
  beforeAll(async () => {
    run = await startTestFleetd('pglite');
    await run.client.backlog.create({ id: 'keep', title: 'untouched' });
  });
  afterAll(() => run?.close());

  const cases: [string, string, string, string | undefined, number, string, RegExp][] = [
    ['not JSON', 'POST', '/v1/backlog/create', '{"title": ', 400, 'USAGE', /not JSON/],
    ['a missing field', 'POST', '/v1/backlog/create', '{}', 400, 'USAGE', /title: /],
    ['a wrong type', 'POST', '/v1/backlog/claim', '{"owner": 5}', 400, 'USAGE', /owner: /],
    [
      'a fence that is not a number',
      'POST',
      '/v1/backlog/complete',
      '{"id":"keep","owner":"w","fence":"one"}',
      400,
      'USAGE',
      /fence: /,
    ],
    [
      'an unknown field',
      'POST',
      '/v1/backlog/claim',
      '{"owner":"w","sneaky":true}',
      400,
      'USAGE',
      /sneaky/,
    ],
    [
      'a bad card id',
      'POST',
      '/v1/backlog/create',
      '{"id":"has space","title":"x"}',
      400,
      'USAGE',
      /id: must match/,
    ],
    ['a JSON array body', 'POST', '/v1/backlog/stats', '[]', 400, 'USAGE', /\(body\)/],
    [
      'an unknown route',
      'POST',
      '/v1/backlog/explode',
      '{}',
      404,
      'NOT_FOUND',
      /no route POST \/v1\/backlog\/explode/,
    ],
    ['an unversioned route', 'GET', '/health', undefined, 404, 'NOT_FOUND', /no route/],
    [
      'the wrong method',
      'GET',
      '/v1/backlog/claim',
      undefined,
      405,
      'METHOD_NOT_ALLOWED',
      /use POST/,
    ],
    [
      'a body over 1 MiB',
      'POST',
      '/v1/backlog/create',
      JSON.stringify({ title: 'x', body: 'y'.repeat(1_100_000) }),
      400,
      'USAGE',
      /over/,
    ],
  ];

  it.each(cases)(
    'answers %s with a typed error and changes nothing',
    async (_what, method, path, body, status, code, message) => {
      // the oldest ready age moves with the clock; everything else must stay as it was
      const snapshot = async () => {
        const { oldest_ready_age_seconds: _age, ...stats } = await run.client.backlog.stats();
        return {
          stats,
          events: await run.client.backlog.events(),
          cards: await run.client.backlog.list(),
        };
      };
      const before = await snapshot();
      const res = await raw(run.home.socket, method, path, body);
      expect(res.status).toBe(status);
      expect(res.type).toBe('application/json');
      expect(res.json).toEqual({ error: { code, message: expect.stringMatching(message) } });
      expect(await snapshot()).toEqual(before);
    },
  );

  it('maps a refused operation to 409 and an unknown card to 404', async () => {
    const conflict = await raw(
      run.home.socket,
      'POST',
      '/v1/backlog/complete',
      '{"id":"keep","owner":"w","fence":1}',
    );
    expect(conflict).toMatchObject({ status: 409, json: { error: { code: 'CONFLICT' } } });
    const missing = await raw(run.home.socket, 'POST', '/v1/backlog/show', '{"id":"ghost"}');
    expect(missing).toMatchObject({
      status: 404,
      json: { error: { code: 'NOT_FOUND', message: 'no card "ghost"' } },
    });
  });
});
