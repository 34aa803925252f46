/**
 * Races between real OS processes through fleetd, on both stores: workers that drain a DAG of
 * cards, and claimers racing a reaper with a zero TTL. Correctness is read back from the
 * append-only event log, whose sequence numbers follow commit order of dependent writes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetdClient } from '../lib/client/fleetd.js';
import type { CardEventView } from '../lib/store/contract.js';
import {
  finish,
  records,
  spawnWorker,
  startTestFleetd,
  type Running,
  type StoreChoice,
  type WorkerRecord,
} from './support/fleetd.js';
import { buildDag } from './support/dag.js';

async function allEvents(api: FleetdClient): Promise<CardEventView[]> {
  const all: CardEventView[] = [];
  for (;;) {
    const { events } = await api.backlog.events({ after_seq: all.at(-1)?.seq ?? 0, limit: 10_000 });
    if (events.length === 0) return all;
    all.push(...events);
  }
}

function byCard(events: CardEventView[], kind: string): Map<string, CardEventView[]> {
  const m = new Map<string, CardEventView[]>();
  for (const e of events.filter((x) => x.kind === kind))
    m.set(e.card_id, [...(m.get(e.card_id) ?? []), e]);
  return m;
}

const key = (r: { id: string; fence: number }) => `${r.id}#${r.fence}`;

describe.each<StoreChoice>(['pglite', 'postgres'])('races on %s', (store) => {
  let run: Running;
  beforeAll(async () => {
    run = await startTestFleetd(store, { poolSize: 20 });
  });
  afterAll(() => run?.close());

  it('16 processes drain 2,000 cards: each claimed exactly once, never before its dependencies', async () => {
    const api = run.client;
    const dag = buildDag(20, 100);
    for (const layer of dag) {
      await Promise.all(
        layer.map((c) =>
          api.backlog.create({
            id: c.id,
            title: c.id,
            depends_on: c.deps,
            assignee_class: 'drain',
          }),
        ),
      );
    }
    const workers = Array.from({ length: 16 }, (_, i) =>
      spawnWorker({ mode: 'drain', home: run.home.root, owner: `drainer-${i}` }),
    );
    await Promise.all(workers.map(finish));

    const stats = await api.backlog.stats();
    expect(stats.counts).toEqual({ ready: 0, claimed: 0, review: 0, blocked: 0, done: 2000 });

    const claims = workers.flatMap((w) => records(w).filter((r) => r.t === 'claim'));
    const dones = workers.flatMap((w) => records(w).filter((r) => r.t === 'done'));
    expect(claims).toHaveLength(2000);
    expect(new Set(claims.map((c) => c.id)).size).toBe(2000);
    expect(dones.map(key).sort()).toEqual(claims.map(key).sort());
    // the work really was shared between processes
    expect(new Set(claims.map((c) => c.owner)).size).toBeGreaterThan(1);

    const events = await allEvents(api);
    const claimed = byCard(events, 'claimed');
    const completed = byCard(events, 'completed');
    for (const card of dag.flat()) {
      expect(claimed.get(card.id), card.id).toHaveLength(1);
      expect(completed.get(card.id), card.id).toHaveLength(1);
      const claimSeq = claimed.get(card.id)![0]!.seq;
      for (const dep of card.deps) {
        expect(
          completed.get(dep)![0]!.seq,
          `${card.id} claimed before ${dep} was done`,
        ).toBeLessThan(claimSeq);
      }
    }
  });

  it('a reaper with TTL 0 racing claimers: every late completion is refused, every card done once', async () => {
    const api = run.client;
    const ids = Array.from({ length: 150 }, (_, i) => `R-${i}`);
    await Promise.all(
      ids.map((id) =>
        api.backlog.create({ id, title: id, assignee_class: 'reap', max_attempts: 10_000 }),
      ),
    );
    const claimers = Array.from({ length: 8 }, (_, i) =>
      spawnWorker({ mode: 'late-claimer', home: run.home.root, owner: `claimer-${i}`, ttl: 0 }),
    );
    const reaper = spawnWorker({ mode: 'reaper', home: run.home.root, owner: 'reaper' });
    await Promise.all([...claimers, reaper].map(finish));

    const recs: WorkerRecord[] = claimers.flatMap(records);
    const done = recs.filter((r) => r.t === 'done');
    const refused = recs.filter(
      (r): r is Extract<WorkerRecord, { t: 'refused' }> => r.t === 'refused',
    );
    const events = (await allEvents(api)).filter((e) => e.card_id.startsWith('R-'));
    const completed = byCard(events, 'completed');
    const reclaimedFences = new Set(
      events
        .filter((e) => e.kind === 'reclaimed')
        .map((e) => `${e.card_id}#${String(e.detail.fence)}`),
    );

    expect(
      (await api.backlog.list({ class: 'reap', status: 'done', limit: 10_000 })).cards,
    ).toHaveLength(150);
    for (const id of ids) expect(completed.get(id), id).toHaveLength(1);
    // acknowledged completions are exactly the completed events, one per card
    expect(done.map(key).sort()).toEqual(
      [...completed.values()].map((e) => `${e[0]!.card_id}#${String(e[0]!.detail.fence)}`).sort(),
    );
    // no accepted completion belonged to a lease the reaper had taken back
    for (const d of done) expect(reclaimedFences.has(key(d)), key(d)).toBe(false);
    // every refusal was the fence at work: that lease had been reclaimed
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) {
      expect(r.code).toBe('CONFLICT');
      expect(reclaimedFences.has(key(r)), key(r)).toBe(true);
    }
  });
});
