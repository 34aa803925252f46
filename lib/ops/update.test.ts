import { describe, expect, it } from 'vitest';
import { runUpdate, UpdateStepFailed, type UpdateStep, type UpdateStepName } from './update.js';

const step = (name: UpdateStepName, run: () => Promise<string[]>, calls: string[]): UpdateStep => ({
  name,
  plan: async () => {
    calls.push(`plan ${name}`);
    return [`would ${name}`];
  },
  run: async () => {
    calls.push(`run ${name}`);
    return run();
  },
});

describe('runUpdate', () => {
  it('runs the steps in order and numbers them; a dry run only plans', async () => {
    const calls: string[] = [];
    const said: string[] = [];
    const steps = [
      step('drain', async () => ['quiet'], calls),
      step('units', async () => ['rewrote a', 'ran b'], calls),
    ];
    const dry = await runUpdate(steps, {
      dryRun: true,
      say: (l) => said.push(l),
      resume: async () => '',
    });
    expect(dry.ok).toBe(true);
    expect(calls).toEqual(['plan drain', 'plan units']);
    const r = await runUpdate(steps, {
      dryRun: false,
      say: (l) => said.push(l),
      resume: async () => 'resumed',
      now: () => 0,
    });
    expect(r).toMatchObject({ ok: true, stopped: null });
    expect(said.slice(-5)).toEqual([
      'update 1/2 drain: quiet',
      'update 2/2 units:',
      '  rewrote a',
      '  ran b',
      'update done in 0.0 s',
    ]);
  });

  it('stops at a failed step: drained, or resumed when the step changed nothing; says how to go on', async () => {
    const calls: string[] = [];
    const said: string[] = [];
    let resumed = 0;
    const failing = (changedNothing: boolean) => [
      step('drain', async () => ['quiet'], calls),
      step(
        'harnesses',
        async () => {
          throw new UpdateStepFailed('no network', { changedNothing, recovery: 'Try again later' });
        },
        calls,
      ),
      step('resume', async () => ['resumed'], calls),
    ];
    const o = {
      dryRun: false,
      say: (l: string) => said.push(l),
      resume: async () => {
        resumed++;
        return 'resumed: dispatch goes on';
      },
    };
    const kept = await runUpdate(failing(true), o);
    expect(kept.stopped).toEqual({
      step: 'harnesses',
      error: 'no network',
      fleet: 'resumed',
      recovery: 'Try again later',
    });
    expect(resumed).toBe(1);
    expect(calls).not.toContain('run resume');
    expect(said).toContain('update stopped at harnesses; the fleet is resumed. Try again later');
    const drained = await runUpdate(failing(false), o);
    expect(drained.stopped?.fleet).toBe('drained');
    expect(resumed).toBe(1);
    // any other error stops too, with the default advice
    const odd = await runUpdate(
      [
        step(
          'units',
          async () => {
            throw new Error('EACCES: permission denied');
          },
          calls,
        ),
      ],
      o,
    );
    expect(odd.stopped).toMatchObject({ fleet: 'drained', error: 'EACCES: permission denied' });
    expect(odd.stopped!.recovery).toMatch(/fleet update again to go on, or fleet resume/);
  });
});
