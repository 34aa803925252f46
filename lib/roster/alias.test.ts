import { describe, expect, it } from 'vitest';
import { RosterInvalid } from '../errors.js';
import { parseRoster } from './load.js';
import { resolveAll } from './resolve.js';

const roster = (alias: string) => `version: 2
agents:
  - name: orchestrator
    alias: ${alias}
    runtime: stub
    class: orchestrator
  - name: enhancer
    runtime: stub
    class: enhancer
`;

describe('agent alias', () => {
  it('is an optional friendly name carried to the resolved agent', () => {
    const { roster: r } = parseRoster(roster('"Mos — the lead"'), 'r.yaml');
    expect(resolveAll(r, 'h').map((a) => a.alias)).toEqual(['Mos — the lead', undefined]);
  });

  it.each([
    ['" Mos"', 'leading space'],
    ['"Mos\\nLead"', 'a line break'],
    ['"Mos\\u202E"', 'a bidi override'],
    ['""', 'empty'],
    [`"${'m'.repeat(49)}"`, 'too long'],
  ])('refuses %s (%s) at its line and column', (value) => {
    expect(() => parseRoster(roster(value), 'r.yaml')).toThrow(RosterInvalid);
    expect(() => parseRoster(roster(value), 'r.yaml')).toThrow(
      /^r\.yaml:4:12: agents\[0\]\.alias: /,
    );
  });
});
