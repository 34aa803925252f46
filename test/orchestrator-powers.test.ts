/**
 * What the orchestrator (or an operator) does from a pane works for real, through the same
 * operations as the panel (lib/ops/roster.ts): `fleet agent add` makes fleetd start the agent
 * within a tick; `fleet agent remove` takes it out of the roster, stops its session, removes
 * its env and run/ files, and the card it held goes back to the backlog; the other running agents
 * get one note of each change among their peers. Real tmux, stub agents, PGlite through fleetd
 * with the supervisor.
 */
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { fleetHome } from '../lib/home.js';
import type { CardView } from '../lib/store/contract.js';
import { FLOOR, supervisedHarnesses } from './support/supervised.js';
import { until } from './support/tmux-fleet.js';

const harnesses = supervisedHarnesses();
afterEach((ctx) => harnesses.closeAll(ctx.task.result?.state === 'fail'));

interface PsJson {
  agents: { name: string; session: string; managed: boolean }[];
}

describe('fleet agent add / remove with fleetd running', () => {
  it('add starts the agent within a tick; remove stops it, cleans up and frees its card', async () => {
    const h = await harnesses.start(FLOOR);
    const home = fleetHome(h.fleet.home);
    const ps = () => h.fleet.json<PsJson>(['ps']);

    const added = await h.fleet.run([
      'agent',
      'add',
      'w1',
      '--runtime',
      'stub',
      '--class',
      'worker',
    ]);
    expect(added.code, added.stderr).toBe(0);
    await until(
      async () => (await ps()).agents.find((a) => a.name === 'w1')?.session === 'alive',
      'the supervisor started w1',
    );
    expect(existsSync(home.agentEnv('w1'))).toBe(true);
    // the running agents are told, once each, without a restart
    const notes = (what: string) =>
      h.fleet.stubLog().filter((m) => m.text.includes('[fleet peers]') && m.text.includes(what));
    await until(() => notes('+ w1').length >= 2, 'orch and enh told of w1');

    await h.client.backlog.create({ id: 'long', title: 'a long card', body: 'work: 120s' });
    const card = async () => (await h.client.backlog.show('long')).card as CardView;
    await until(async () => (await card()).claim_owner?.startsWith('w1@'), 'w1 holds the card');

    const removed = await h.fleet.run(['agent', 'remove', 'w1']);
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stderr).toContain('its session was stopped');
    expect(h.fleet.tmux(['list-sessions', '-F', '#{session_name}'])).not.toMatch(/^w1$/m);
    // not left behind as an unmanaged session, and nothing of it in env or run/
    expect((await ps()).agents.map((a) => a.name)).not.toContain('w1');
    for (const f of [home.agentEnv('w1'), home.heartbeat('w1'), home.launchState('w1')])
      expect(existsSync(f), f).toBe(false);
    await until(async () => (await card()).status === 'ready', 'the card back in the backlog');
    await until(() => notes('- w1 left the fleet').length >= 2, 'orch and enh told w1 left');
    expect(notes('+ w1')).toHaveLength(2);
    expect((await card()).claim_owner).toBeNull();
  });

  it('the orchestrator does it from its own pane, and fleet ps follows', async () => {
    const h = await harnesses.start(FLOOR);
    const ps = async () => (await h.fleet.json<PsJson>(['ps'])).agents;
    await until(async () => (await ps()).every((a) => a.session === 'alive'), 'the floor up');
    // the stub stands in for the orchestrator's model running the commands its contract names
    const tell = (cmd: string) => h.fleet.run(['agent', 'send', 'orch', `$ ${cmd}`, '--verify']);
    expect((await tell('fleet agent add w9 --runtime stub --class worker')).code).toBe(0);
    await until(
      async () => (await ps()).find((a) => a.name === 'w9')?.session === 'alive',
      'w9 started by fleetd',
    );
    expect((await tell('fleet agent remove w9')).code).toBe(0);
    await until(async () => !(await ps()).some((a) => a.name === 'w9'), 'w9 gone from fleet ps');
    expect(h.fleet.tmux(['list-sessions', '-F', '#{session_name}'])).not.toMatch(/^w9$/m);
  });

  it('keeps the floor: the sole orchestrator cannot be removed, and nothing is stopped', async () => {
    const h = await harnesses.start(FLOOR);
    await until(
      async () => (await h.fleet.json<PsJson>(['ps'])).agents.every((a) => a.session === 'alive'),
      'the floor up',
    );
    const r = await h.fleet.run(['agent', 'remove', 'orch']);
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('orchestrator');
    expect(h.fleet.tmux(['list-sessions', '-F', '#{session_name}'])).toMatch(/^orch$/m);
  });
});
