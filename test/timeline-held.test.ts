/**
 * A takeover held from long before a timeline's window (lib/store/agent-events.ts): the window's
 * own events do not say the pane is held, the latest takeover and release before it do. Real
 * PGlite, the store fleetd uses; events are written with the times they happened.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentTimeline } from '../lib/ops/timeline.js';
import { AgentEventStore } from '../lib/store/agent-events.js';
import { openStore, type Store } from '../lib/store/db.js';

const DAY = 86_400_000;
const NOW = new Date('2026-12-03T12:00:00.000Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();

describe('a timeline of an agent held since before its window', () => {
  let dir: string;
  let store: Store;
  let events: AgentEventStore;
  const timeline = (agent: string) =>
    agentTimeline(
      {
        identity: { tenant_id: 't', host: 'h' },
        events,
        now: () => NOW,
        log: () => undefined,
      },
      agent,
      { since: ago(3_600_000) },
    );

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'mf-timeline-held-'));
    store = await openStore({ dataDir: path.join(dir, 'db') });
    await store.migrate();
    events = new AgentEventStore(store.db, 't', 'h');
  });
  afterAll(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows the takeover open across the whole window', async () => {
    await events.record({ agent: 'w1', kind: 'takeover', actor: 'ann', at: ago(3 * DAY) });
    await events.record({
      agent: 'w1',
      kind: 'started',
      actor: 'fleetd',
      epoch: 2,
      at: ago(2 * DAY),
    });
    const view = await timeline('w1');
    expect(view.entries).toEqual([
      expect.objectContaining({ kind: 'takeover', who: 'ann', start: ago(3 * DAY), open: true }),
    ]);
  });

  it('shows none when the pane was released before the window', async () => {
    await events.record({ agent: 'w2', kind: 'takeover', actor: 'bob', at: ago(4 * DAY) });
    await events.record({ agent: 'w2', kind: 'released', actor: 'bob', at: ago(3 * DAY) });
    await events.record({ agent: 'w2', kind: 'takeover', actor: 'cat', at: ago(5 * DAY) });
    expect((await timeline('w2')).entries).toEqual([]);
  });
});
