import { afterEach, describe, expect, it } from 'vitest';
import { FLOOR, supervisedHarnesses } from './support/supervised.js';
import { STUB, until } from './support/tmux-fleet.js';

const harnesses = supervisedHarnesses();
afterEach((ctx) => harnesses.closeAll(ctx.task.result?.state === 'fail'));

/** What an agent was typed, in order, as the kinds a reader cares about. */
function kinds(texts: string[], agent: string): string[] {
  return texts.flatMap((t) => {
    if (t.includes(`# Fleet contract: ${agent}\n`)) return ['contract'];
    const task = /\[fleet task (\S+?)\]/.exec(t);
    if (task) return [`task ${task[1]}`];
    if (t.trim() === '/clear') return ['/clear'];
    return [];
  });
}

async function twoCards(h: Awaited<ReturnType<typeof harnesses.start>>): Promise<void> {
  await h.client.backlog.create({ id: 'c1', title: 'first', body: 'work: 0.3s' });
  await h.client.backlog.create({
    id: 'c2',
    title: 'second',
    body: 'work: 0.3s',
    depends_on: ['c1'],
  });
  await until(
    async () => (await h.client.backlog.stats()).counts.done === 2,
    'both cards done',
    60_000,
  );
}

describe('the contract after a reset_between_tasks reset (docs/runtimes.md "Contract delivery")', () => {
  it('a contract given as a message is given again after the reset, before the next card', async () => {
    const h = await harnesses.start([
      ...FLOOR,
      {
        name: 'w0',
        class: 'worker',
        extra: `command: ${JSON.stringify([process.execPath, STUB])}\nreset_between_tasks: true`,
      },
    ]);
    await twoCards(h);
    const texts = h.fleet.stubLog().map((l) => l.text);
    expect(kinds(texts, 'w0')).toEqual(['contract', 'task c1', '/clear', 'contract', 'task c2']);
  });

  it('a contract the runtime holds (stub: --contract-file) is not typed: the reset keeps it', async () => {
    const h = await harnesses.start([
      ...FLOOR,
      { name: 's0', class: 'worker', extra: 'reset_between_tasks: true' },
    ]);
    await twoCards(h);
    const texts = h.fleet.stubLog().map((l) => l.text);
    expect(kinds(texts, 's0')).toEqual(['task c1', '/clear', 'task c2']);
  });
});
