/**
 * A host's fleetd dies (docs/architecture.md "The register", "The relay"): fleetd on host hk is a
 * real `fleet serve` process, in a network namespace of its own, killed with SIGKILL while its worker holds a card; host ha (fleetd
 * in this process) on the same PostgreSQL shows hk unreachable within three ticks, takes the
 * card back when its lease runs out and finishes it; a message sent to hk's worker meanwhile is
 * kept and delivered exactly once when hk's fleetd is back.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { FleetdClient } from '@/lib/client/fleetd.js';
import type { HostView } from '@/lib/fleet/hosts.js';
import { fleetHome } from '@/lib/home.js';
import type { SendReceipt } from '@/lib/send/deliver.js';
import { createDatabase } from './support/postgres.js';
import { FLEET_BIN, track, waitForHealth, type Proc } from './support/procs.js';
import { FLOOR, supervisedHarnesses } from './support/supervised.js';
import { testFleet, until, type TestFleet } from './support/tmux-fleet.js';

const harnesses = supervisedHarnesses();
let db: Awaited<ReturnType<typeof createDatabase>>;
const cleanups: (() => Promise<void> | void)[] = [];
beforeAll(async () => {
  db = await createDatabase(inject('databaseUrl'));
});
afterEach(async (ctx) => {
  for (const c of cleanups.splice(0).reverse()) await c();
  await harnesses.closeAll(ctx.task.result?.state === 'fail');
});
afterAll(async () => db?.drop());

/** Whether this machine lets a process have a network namespace of its own (root, unshare). */
const netns = spawnSync('unshare', ['-n', '--', 'true']).status === 0;

/**
 * The same database over PostgreSQL's Unix socket: a process in its own network namespace
 * reaches nothing over the network, so the store's socket is the one thing it shares.
 */
async function socketUrl(url: string): Promise<string> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const dir = (await c.query<{ unix_socket_directories: string }>('show unix_socket_directories'))
      .rows[0]!.unix_socket_directories;
    const u = new URL(url);
    return `postgresql://${u.username}@/${u.pathname.slice(1)}?host=${encodeURIComponent(dir.split(',')[0]!.trim())}&port=${u.port}`;
  } finally {
    await c.end();
  }
}

/**
 * hk's fleetd as its own process, in its own network namespace where the machine allows
 * (then only the PostgreSQL socket crosses between the hosts): supervisor ticks of 300 ms,
 * claims that last 4 s unrenewed.
 */
async function serveHk(fleet: TestFleet, url: string): Promise<Proc> {
  const argv = [process.execPath, FLEET_BIN, 'serve', '--tick', '300', '--lease-ttl', '4'];
  const env = {
    ...process.env,
    FLEET_WEB: 'off',
    FLEET_HOME: fleet.home,
    FLEET_HOST: 'hk',
    FLEET_TENANT_ID: 'default', // the in-process fleetds' tenant
    DATABASE_URL: url,
    TMUX_TMPDIR: fleet.tmpdir,
    FLEET_CLI_PATH: FLEET_BIN,
  };
  // unshare execs the command: the child's pid is fleetd's own, for SIGKILL
  const child = netns
    ? spawn('unshare', ['-n', '--', ...argv], { env })
    : spawn(argv[0]!, argv.slice(1), { env });
  const proc = track(child);
  await waitForHealth(fleetHome(fleet.home), proc);
  return proc;
}

describe('a host that dies and comes back', () => {
  it('SIGKILL: unreachable within three ticks, its card finished elsewhere, a message kept for it delivered once on its return', async () => {
    // hk's worker reports its card late: its report command waits 15 s first (and then fails:
    // its fleetd is gone by then); meanwhile it is busy and reads new input after that
    const hkFleet = testFleet(
      [
        ...FLOOR,
        {
          name: 'wk',
          class: 'worker',
          env: { MOSAIC_STUB_COMPLETE_CMD: JSON.stringify(['sh', '-c', 'sleep 15; exit 1', 'x']) },
        },
      ],
      { interval: 1 },
    );
    cleanups.push(() => hkFleet.cleanup());
    if (!netns) console.log('no network namespaces here: hk runs in the shared one');
    const hkUrl = netns ? await socketUrl(db.url) : db.url;
    let hk = await serveHk(hkFleet, hkUrl);
    cleanups.push(async () => {
      hk.child.kill('SIGTERM');
      await hk.exited;
    });
    // hk's fleetd shares no network with this process: only the store's Unix socket
    if (netns)
      expect(readlinkSync(`/proc/${hk.child.pid}/ns/net`)).not.toBe(
        readlinkSync('/proc/self/ns/net'),
      );
    const hkClient = new FleetdClient(fleetHome(hkFleet.home));
    cleanups.push(() => hkClient.close());
    await until(
      async () => (await hkClient.agents.hosts()).hosts[0]?.agents.length === 3,
      'hk registers its agents',
      30_000,
    );
    await hkClient.backlog.create({
      id: 'held',
      title: 'held by hk',
      body: 'work: 1s',
      assignee_class: 'worker',
    });
    await until(
      async () => (await hkClient.backlog.show('held')).card.claim_owner?.includes('wk'),
      'wk on hk claims the card',
      30_000,
    );

    const ha = await harnesses.start([...FLOOR, { name: 'wa', class: 'worker' }], {
      databaseUrl: db.url,
      host: 'ha',
      leaseTtlSeconds: 4,
    });
    const run = (args: string[]) => ha.fleet.run(args, { FLEET_HOST: 'ha' });
    const hosts = async () =>
      (JSON.parse((await run(['ps', '--all-hosts', '--json'])).stdout) as { hosts: HostView[] })
        .hosts;
    await until(async () => (await hosts()).find((h) => h.host === 'hk')?.reachable, 'ha sees hk');

    hk.child.kill('SIGKILL');
    await hk.exited;
    const killedAt = Date.now();
    const gone = await until(
      async () => (await hosts()).find((h) => h.host === 'hk' && !h.reachable),
      'ha shows hk unreachable',
    );
    // three of hk's 300 ms ticks, never sooner than 3 s: well inside the store's clock
    expect(Date.now() - killedAt).toBeLessThan(15_000);
    expect(gone.agents.map((a) => a.name).sort()).toEqual(['enh', 'orch', 'wk']);

    // a message for hk's worker while hk is away: kept, answered at once as queued
    const sent = await run(['agent', 'send', 'hk:wk', '--json', '--', 'while you were away $(x)']);
    const r = JSON.parse(sent.stdout) as SendReceipt;
    expect(r).toMatchObject({ agent: 'wk', host: 'hk', verdict: 'queued' });
    expect(r.detail).toMatch(/host hk is unreachable .* done when its fleetd is back/);
    expect(sent.code).toBe(0);

    // the card's lease runs out unrenewed; ha takes it back and its worker finishes it
    const done = await until(
      async () => {
        const c = (await ha.client.backlog.show('held')).card;
        return c.status === 'done' ? c : null;
      },
      'the held card done on ha',
      60_000,
    );
    const events = (await ha.client.backlog.show('held')).events;
    const completed = events.filter((e) => e.kind === 'completed');
    expect(completed).toHaveLength(1);
    expect(completed[0]!.actor).toMatch(/wa/);
    expect(events.some((e) => e.kind === 'reclaimed')).toBe(true);
    expect(done.status).toBe('done');

    // hk's fleetd comes back on the same home: the kept message is typed once
    hk = await serveHk(hkFleet, hkUrl);
    const arrived = (): string[] =>
      hkFleet
        .stubLog()
        .map((l) => l.text)
        .filter((t) => t === '[from ha:operator] while you were away $(x)');
    await until(() => arrived().length === 1, 'the kept message reaches wk', 45_000);
    await new Promise((res) => setTimeout(res, 2000)); // several more ticks: still once
    expect(arrived()).toHaveLength(1);
    await until(
      async () => (await hosts()).find((h) => h.host === 'hk')?.reachable,
      'hk reachable again',
    );
  });
});
