/**
 * The history behind agents' timelines keeps 30 days (docs/attention.md "Items"): fleetd's
 * history pass deletes agent events and cleared inbox items older than that, and nothing else —
 * an open item stays however old, and a cleared one keeps its `cleared_at` until then. Real
 * PGlite, fleetd in this process, read back through its socket.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AttentionFact } from '@/lib/attention/types.js';
import { FleetdClient } from '@/lib/client/fleetd.js';
import { startFleetd, type Fleetd } from '@/server/fleetd.js';
import { HISTORY_KEEP_MS } from '@/server/maintenance.js';
import { tempHome } from './support/fleetd.js';

const open: { fleetd: Fleetd; client: FleetdClient; cleanup(): void }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) {
    o.client.close();
    await o.fleetd.stop();
    o.cleanup();
  }
});

const fact = (reason: 'permission' | 'question'): AttentionFact => ({
  key: `${reason}:w1`,
  reason,
  agent: 'w1',
  card: null,
  title: `w1 ${reason}`,
  evidence: '',
  link: '/agents/w1',
  actions: [],
  reset_at: null,
});

describe('the history’s retention', () => {
  it('prunes agent events and cleared items older than 30 days; open items and recent history stay', async () => {
    const { home, cleanup } = tempHome({ seeded: true });
    const fleetd = await startFleetd({ home, reapIntervalMs: 0, host: 'h1' });
    const client = new FleetdClient(home);
    open.push({ fleetd, client, cleanup });
    const s = fleetd.services;
    const day = 86_400_000;
    const old = new Date(Date.now() - 40 * day);
    const recent = new Date(Date.now() - 2 * day);
    // the CLI's way in: the socket
    for (const [epoch, at] of [
      [1, old],
      [2, recent],
    ] as const)
      await client.agents.recordEvent({
        agent: 'w1',
        kind: 'started',
        epoch,
        reason: 'crash',
        actor: 'supervisor',
        at: at.toISOString(),
      });
    // a question raised and cleared 40 days ago; a permission raised then and still open
    await s.attention.sync([fact('question'), fact('permission')], old);
    await s.attention.sync([fact('permission')], new Date(old.getTime() + 60_000));
    // one raised and cleared two days ago
    await s.attention.sync([fact('permission'), fact('question')], recent);
    await s.attention.sync([fact('permission')], new Date(recent.getTime() + 60_000));

    const window = { since: new Date(Date.now() - 45 * day).toISOString() };
    const before = await client.agents.timeline({ name: 'w1', ...window });
    expect(before.entries.map((e) => e.kind)).toEqual(['start', 'wait', 'wait', 'start', 'wait']);

    const cutoff = new Date(Date.now() - HISTORY_KEEP_MS);
    expect(await s.history.prune(cutoff)).toBe(1);
    expect(await s.attention.pruneCleared(cutoff)).toBe(1);

    const after = await client.agents.timeline({ name: 'w1', ...window });
    expect(
      after.entries.map((e) =>
        e.kind === 'start'
          ? `start ${e.epoch}`
          : e.kind === 'wait'
            ? `wait ${e.reason} ${e.open}`
            : e.kind,
      ),
    ).toEqual(['wait permission true', 'start 2', 'wait question false']);
    // what stays keeps its history: the recent question with when it cleared
    const cleared = after.entries.find((e) => e.kind === 'wait' && !e.open);
    expect(cleared && 'end' in cleared ? Date.parse(cleared.end) : 0).toBe(
      recent.getTime() + 60_000,
    );
  });
});
