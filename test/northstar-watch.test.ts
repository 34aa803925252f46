/**
 * Goals flow without a command: fleetd's supervisor plans NORTH_STAR.yaml when it changes
 * (server/supervisor/northstar-watch.ts), and an invalid file changes nothing, is shown in
 * `fleet ps` and is told to the orchestrator. Real tmux, stub agents, PGlite through fleetd.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fleetHome } from '../lib/home.js';
import { loadNorthStar } from '../lib/northstar/load.js';
import { ROOT } from './support/fleet-cli.js';
import { FLOOR, supervisedHarnesses } from './support/supervised.js';
import { until } from './support/tmux-fleet.js';

const harnesses = supervisedHarnesses();
afterEach((ctx) => harnesses.closeAll(ctx.task.result?.state === 'fail'));

const SAMPLE = path.join(ROOT, 'framework', 'northstar', 'NORTH_STAR.sample.yaml');

describe('NORTH_STAR.yaml, watched by fleetd', () => {
  it('a saved file becomes cards with nobody running fleet plan; an invalid one shows in ps', async () => {
    const h = await harnesses.start(FLOOR);
    const home = fleetHome(h.fleet.home);
    const ids = async () => (await h.client.backlog.list({ limit: 1000 })).cards.map((c) => c.id);
    // the floor alone: no worker takes the planned cards while we look

    writeFileSync(home.northStar, readFileSync(SAMPLE, 'utf8'));
    // the plan creates its cards one by one: wait for every goal of the sample, not the first
    const goals = loadNorthStar(SAMPLE).goals.map((g) => g.id);
    await until(async () => {
      const now = await ids();
      return goals.every((g) => now.includes(g));
    }, 'the sample planned');
    const planned = (await ids()).sort();

    const broken = readFileSync(SAMPLE, 'utf8').replace(
      'title: Write the product brief',
      'title: ""',
    );
    writeFileSync(home.northStar, broken);
    await until(
      () => h.supervisor.last?.northstar_error ?? null,
      'the supervisor saw the invalid file',
    );
    expect((await ids()).sort()).toEqual(planned);
    const ps = await h.fleet.run(['ps']);
    expect(ps.stdout).toMatch(/NORTH_STAR\.yaml is not planned: .*NORTH_STAR\.yaml:\d+:\d+:/);
    const json = await h.fleet.json<{ northstar_error: string | null }>(['ps']);
    expect(json.northstar_error).toMatch(/title/);
    // the orchestrator owns the goals: it is told, once
    const told = () => h.fleet.stubLog().filter((m) => m.text.includes('[fleet northstar]'));
    await until(() => told().length > 0, 'the orchestrator told');
    expect(told()[0]!.text).toMatch(/NORTH_STAR\.yaml:\d+:\d+:/);

    const added = readFileSync(SAMPLE, 'utf8').replace(
      '\nassumptions:',
      '\n  - id: X9\n    title: Added while running\n    phase: 3\n    priority: must-have\n    workstream: L\nassumptions:',
    );
    writeFileSync(home.northStar, added);
    await until(async () => (await ids()).includes('X9'), 'the new goal planned');
    expect((await h.fleet.json<{ northstar_error: string | null }>(['ps'])).northstar_error).toBe(
      null,
    );
  });
});
