/**
 * The enhancer loop runs: after an induced crash loop, fleetd sends the enhancer a digest on the
 * roster's interval, the (stub) enhancer files an improvement card, and that card goes to a
 * worker, never to the enhancer itself. Real tmux, stub agents, PGlite through fleetd.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { supervisedHarnesses } from './support/supervised.js';
import { until } from './support/tmux-fleet.js';

const harnesses = supervisedHarnesses();
afterEach((ctx) => harnesses.closeAll(ctx.task.result?.state === 'fail'));

describe('the enhancer digest', () => {
  it('reports a crash loop; the enhancer files a card that a worker takes', async () => {
    const crashy =
      'command: ["sh", "-c", "echo starting; sleep 1; exit 3"]\n' +
      'restart: { max_restarts: 3, window_seconds: 300, backoff_initial_seconds: 0, backoff_max_seconds: 0 }';
    const h = await harnesses.start(
      [
        { name: 'orch', class: 'orchestrator' },
        { name: 'enh', class: 'enhancer', env: { MOSAIC_STUB_FILE_DIGEST: '1' } },
        { name: 'w0', class: 'worker' },
        { name: 'crashy', class: 'worker', extra: crashy },
      ],
      { defaults: { enhancer_digest_seconds: 10 } },
    );
    const received = () => h.fleet.stubLog().filter((m) => m.text.includes('[fleet digest]'));
    await until(() => received().length > 0, 'a digest for the enhancer', 60_000);
    expect(received()[0]!.text).toMatch(/crashy restarted \d+ time\(s\)|crashy failed/);
    const improvement = async () =>
      (await h.client.backlog.list({ limit: 100 })).cards.find((c) =>
        c.title.startsWith('Improve: crashy'),
      );
    await until(improvement, 'an improvement card filed by the enhancer', 30_000);
    await until(
      async () => (await improvement())?.status === 'done',
      'the card worked by a worker',
      60_000,
    );
    const events = (await h.client.backlog.events({ id: (await improvement())!.id })).events;
    const claims = events.filter((e) => e.kind === 'claimed').map((e) => e.actor);
    expect(claims.join(' ')).not.toMatch(/enh@/);
  });
});
