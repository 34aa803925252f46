import { describe, expect, it } from 'vitest';
import { serialiser } from './serial.js';

describe('serialiser', () => {
  it('runs calls one at a time, in order, past a failure', async () => {
    const serial = serialiser();
    const log: string[] = [];
    const step = (name: string, ms: number, fail = false) =>
      serial(async () => {
        log.push(`start ${name}`);
        await new Promise((r) => setTimeout(r, ms));
        log.push(`end ${name}`);
        if (fail) throw new Error(name);
        return name;
      });
    const results = await Promise.allSettled([step('a', 20), step('b', 1, true), step('c', 1)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });
});
