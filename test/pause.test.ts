/**
 * PAUSE through its one operation (lib/ops/pause.ts) from the CLI, with fleetd running without
 * its supervisor (`fleet serve --no-supervise`), and with fleetd down: the store flag and
 * run/PAUSED move together, and `fleet resume` lifts both.
 */
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { runFleet } from './support/fleet-cli.js';
import { startTestFleetd, tempHome, type Running } from './support/fleetd.js';

let running: Running | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

describe('fleet pause / resume', () => {
  it('work against fleetd without a supervisor', async () => {
    running = await startTestFleetd('pglite');
    const { home, client } = running;
    const paused = await runFleet(home.root, ['pause', '--reason', 'maintenance', '--json']);
    expect(paused.stderr).toBe('');
    expect(paused.code).toBe(0);
    expect(JSON.parse(paused.stdout)).toMatchObject({ paused: true, reason: 'maintenance' });
    expect(existsSync(home.paused)).toBe(true);
    expect(await client.flags.pause()).toMatchObject({ paused: true, reason: 'maintenance' });

    const resumed = await runFleet(home.root, ['resume']);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout.trim()).toBe('resumed');
    expect(existsSync(home.paused)).toBe(false);
    expect(await client.flags.pause()).toMatchObject({ paused: false, halted: null });
  });

  it('the supervisor routes say it is not running, rather than "no route"', async () => {
    running = await startTestFleetd('pglite');
    const status = await runFleet(running.home.root, ['supervisor', 'status']);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('not running in this fleetd');
    const tick = await runFleet(running.home.root, ['supervisor', 'tick']);
    expect(tick.code).toBe(10);
    expect(tick.stderr.trim()).toMatch(/^fleet: the supervisor is not running/);
  });

  it('with fleetd down, writes run/PAUSED for fleetd to honour when it starts', async () => {
    const { home, cleanup } = tempHome();
    try {
      const r = await runFleet(home.root, ['pause', '--reason', 'before start']);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('fleetd is not running');
      expect(existsSync(home.paused)).toBe(true);
    } finally {
      cleanup();
    }
  });
});
