/**
 * `fleet ps` asked of fleetd (lib/ops/ps-view.ts): with fleetd running for this host and tmux
 * server, the CLI gets its rows from fleetd and gathers nothing itself; the answer is the one
 * the CLI gathers on its own once fleetd is gone; a CLI of another host or tmux server, or one
 * whose roster is broken, gets its own answer and its own errors.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PsView } from '@/lib/ops/ps-view.js';
import { FLOOR, supervisedHarnesses } from './support/supervised.js';
import { until } from './support/tmux-fleet.js';

const harnesses = supervisedHarnesses();
afterEach((ctx) => harnesses.closeAll(ctx.task.result?.state === 'fail'));

type PsJson = Omit<PsView, 'notes'>;

/** A row without what changes from one look to the next. */
const steady = ({ fleetd_pid: _pid, ...ps }: PsJson) => ({
  ...ps,
  agents: ps.agents.map(({ heartbeat_age_s: _h, last_output_age_s: _o, ...row }) => row),
});

describe('fleet ps through fleetd', () => {
  it('is answered by fleetd (the CLI needs no tmux of its own) and equals what the CLI gathers without it', async () => {
    const h = await harnesses.start([...FLOOR, { name: 'w1', class: 'worker' }]);
    const ready = await until(async () => {
      const ps = await h.fleet.json<PsJson>(['ps']);
      return ps.agents.every((a) => a.readiness === 'available') ? ps : null;
    }, 'fleet available');
    // no tmux on the CLI's PATH: only fleetd can have read the panes
    const bare = mkdtempSync(path.join(os.tmpdir(), 'mf-bare-path-'));
    try {
      const r = await h.fleet.run(['ps', '--json'], { PATH: bare });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const viaFleetd = JSON.parse(r.stdout) as PsJson & { notes?: unknown };
      expect(viaFleetd.notes).toBeUndefined();
      expect(viaFleetd.fleetd_pid).toBe(process.pid);
      expect(steady(viaFleetd)).toEqual(steady(ready));
      expect(viaFleetd.agents.map((a) => [a.name, a.session])).toEqual([
        ['orch', 'alive'],
        ['enh', 'alive'],
        ['w1', 'alive'],
      ]);
      const text = await h.fleet.run(['ps'], { PATH: bare });
      expect(text.code).toBe(0);
      expect(text.stdout).toMatch(/^w1\s+stub\s+/m);

      // another host's CLI (FLEET_HOST) is not answered by this fleetd: it gathers its own
      const other = await h.fleet.run(['ps', '--json'], { FLEET_HOST: 'elsewhere' });
      expect(other.code).toBe(0);
      expect((JSON.parse(other.stdout) as PsJson).host).toBe('elsewhere');
      // nor is a CLI of another tmux server; without tmux it says so rather than guessing
      const otherTmux = await h.fleet.run(['ps', '--json'], {
        PATH: bare,
        TMUX_TMPDIR: bare,
      });
      expect(otherTmux.code).not.toBe(0);
      expect(otherTmux.stderr).toMatch(/tmux/);

      // PAUSE as run/PAUSED says, the same through fleetd
      expect((await h.fleet.run(['pause', '--reason', 'look'])).code).toBe(0);
      const paused = JSON.parse(
        (await h.fleet.run(['ps', '--json'], { PATH: bare })).stdout,
      ) as PsJson;
      expect(paused.paused).toMatchObject({ paused: true, reason: 'look' });

      // a broken roster: the CLI's own error, file:line:column and all, not fleetd's
      const roster = readFileSync(path.join(h.fleet.home, 'roster.yaml'), 'utf8');
      writeFileSync(path.join(h.fleet.home, 'roster.yaml'), `${roster}\nbogus_key: 1\n`);
      const broken = await h.fleet.run(['ps', '--json']);
      expect(broken.code).not.toBe(0);
      expect(broken.stderr).toMatch(/roster\.yaml:\d+:\d+/);
      writeFileSync(path.join(h.fleet.home, 'roster.yaml'), roster);

      // fleetd gone: the CLI gathers the same rows itself
      await h.fleetd.stop();
      const local = await h.fleet.json<PsJson>(['ps']);
      expect(local.fleetd_pid).toBeNull();
      expect(steady({ ...local, paused: paused.paused })).toEqual(
        steady({ ...viaFleetd, paused: paused.paused }),
      );
    } finally {
      rmSync(bare, { recursive: true, force: true });
    }
  });
});
