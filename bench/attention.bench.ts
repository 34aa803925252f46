// The attention inbox's latencies through fleetd with its real supervisor (tick 5 s, so what is
// measured is the event path, not the tick): a stub's permission prompt visible in its pane →
// the item in the inbox; the item → its notification received by a local webhook receiver;
// approve → the prompt gone. Baselines from the same run: the prompt's own appearance in the
// pane after the task is typed, and one signed POST to the same receiver. Passes/fails on nothing.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { FleetdClient } from '../lib/client/fleetd.js';
import { fleetHome } from '../lib/home.js';
import { startSupervised } from '../test/support/supervised.js';
import { testFleet, until } from '../test/support/tmux-fleet.js';
import { freshStore, ms, percentile, ratio } from './stats.js';

const SAMPLES = 12;

export default async function (): Promise<void> {
  const posts: { at: number; body: string }[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      posts.push({ at: Date.now(), body });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const fleet = testFleet(
    [
      { name: 'orch', class: 'orchestrator' },
      { name: 'enh', class: 'enhancer' },
      { name: 'w1', class: 'worker', env: { MOSAIC_STUB_ASK_PERMISSION: '1' } },
    ],
    {
      interval: 1,
      rosterExtra: `connector:\n  kind: webhook\n  webhook: { url: ${url}/hook }\n  notify: { reasons: [permission], max_per_minute: 600 }\n`,
    },
  );
  const home = fleetHome(fleet.home);
  await freshStore(home.dbDir);
  const { fleetd } = await startSupervised(fleet, {
    reapIntervalMs: 1000,
    tickMs: 5000,
    replanIntervalMs: 3_600_000,
    connector: { env: { FLEET_WEBHOOK_SECRET: 'bench' }, pollMs: 1000 },
  });
  const client = new FleetdClient(home);
  const screen = () => {
    try {
      return fleet.capture('w1');
    } catch {
      return '';
    }
  };
  try {
    await until(() => screen().includes('stub>'), 'w1 up', 60_000);
    const prompt: number[] = [];
    const inbox: number[] = [];
    const notified: number[] = [];
    const approved: number[] = [];
    const direct: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const t0 = performance.now();
      const r = await fleet.run(['agent', 'send', 'w1', '--no-label', `task b${i} 0.1`]);
      if (r.code !== 0) throw new Error(`send: ${r.stderr}`);
      await until(() => screen().includes(`make check\` for b${i}`), 'prompt', 30_000);
      const tPrompt = performance.now();
      const wallPrompt = Date.now();
      prompt.push(tPrompt - t0);
      const item = await until(
        async () => (await client.inbox.list()).items.find((x) => x.reason === 'permission'),
        'item',
        30_000,
      );
      // the store's `since` is when fleetd raised it: no polling in the figure
      inbox.push(Date.parse(item.since) - wallPrompt);
      const post = await until(() => posts.find((p) => p.body.includes(item.id)), 'post', 30_000);
      notified.push(post.at - Date.parse(item.since));
      const tA = performance.now();
      await client.inbox.act({ id: item.id, action: 'approve', by: 'bench' });
      await until(() => screen().includes(`[stub] working on b${i}`), 'approved', 30_000);
      approved.push(performance.now() - tA);
      await until(() => screen().includes(`[stub] done b${i}`), 'worked', 30_000);
      await until(async () => !(await client.inbox.list()).items.length, 'cleared', 30_000);
      const tD = performance.now();
      await fetch(`${url}/direct`, { method: 'POST', body: '{}' });
      direct.push(performance.now() - tD);
    }
    const p = (xs: number[], q: number) => percentile(xs, q);
    const line = (label: string, xs: number[], base?: number[]) =>
      console.log(
        `${label.padEnd(40)} p50 ${ms(p(xs, 50))}  p95 ${ms(p(xs, 95))}${base ? `   (${ratio(p(xs, 50), p(base, 50))} of baseline p50)` : '   (baseline)'}`,
      );
    line('task typed → prompt in the pane', prompt);
    line('prompt in the pane → item in the inbox', inbox, prompt);
    line('one POST to the receiver', direct);
    line('item in the inbox → webhook received', notified, direct);
    line('approve → the stub proceeds', approved, prompt);
    console.log(
      `(supervisor tick 5000 ms; connector outbox polled every 1000 ms; ${SAMPLES} samples)`,
    );
  } finally {
    client.close();
    await fleetd.stop();
    fleet.cleanup();
    server.close();
  }
}
