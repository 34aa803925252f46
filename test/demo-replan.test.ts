/**
 * A demo that keeps working: the demo's stub orchestrator answers the supervisor's replan
 * request by filing the next cards of the queue shipped beside the stub
 * (framework/stub/demo-queue.jsonl), and a worker takes them to done. Real tmux, stub agents,
 * PGlite through fleetd with the supervisor.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { supervisedHarnesses } from './support/supervised.js';
import { until } from './support/tmux-fleet.js';

const harnesses = supervisedHarnesses();
afterEach((ctx) => harnesses.closeAll(ctx.task.result?.state === 'fail'));

describe('the demo orchestrator', () => {
  it('files the next queued cards when asked to replan, and they get done', async () => {
    const h = await harnesses.start([
      {
        name: 'orch',
        class: 'orchestrator',
        env: { MOSAIC_STUB_PLAN_QUEUE: 'demo-queue.jsonl', MOSAIC_STUB_PLAN_BATCH: '2' },
      },
      { name: 'enh', class: 'enhancer' },
      { name: 'w0', class: 'worker' },
    ]);
    const cards = async () => (await h.client.backlog.list({ limit: 100 })).cards;
    await until(
      async () => (await cards()).length === 2,
      'two cards filed by the orchestrator',
      60_000,
    );
    expect((await cards()).map((c) => c.id).sort()).toEqual(['Q-notes-export', 'Q-notes-search']);
    await until(
      async () => (await cards()).every((c) => c.status === 'done'),
      'the filed cards done',
      60_000,
    );
  });
});
