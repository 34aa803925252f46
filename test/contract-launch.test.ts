import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { STUB, testFleet, until, type TestFleet } from './support/tmux-fleet.js';

let fleets: TestFleet[] = [];
const fleet = (...a: Parameters<typeof testFleet>) => {
  const f = testFleet(...a);
  fleets.push(f);
  return f;
};
afterEach(() => {
  for (const f of fleets) f.cleanup();
  fleets = [];
});

interface ContractJson {
  agent: string;
  bytes: number;
  contract: string;
}

const sha12 = (text: string) =>
  createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 12);

const sessions = (f: TestFleet) =>
  f.tmux(['list-sessions', '-F', '#{session_name}']).trim().split('\n').sort();

describe('the contract reaches each agent at launch (docs/runtimes.md "Contract delivery")', () => {
  it('a stub agent is pointed at run/<name>.contract.md and reads exactly `fleet agent contract`', async () => {
    const f = fleet([{ name: 'orch' }, { name: 'enh' }, { name: 'coder', class: 'implementer' }]);
    const up = await f.run(['up', '--stagger', '0']);
    expect(up.code).toBe(0);
    for (const name of ['orch', 'enh', 'coder']) {
      const want = await f.json<ContractJson>(['agent', 'contract', name]);
      expect(want.contract.startsWith(`# Fleet contract: ${name}\n`)).toBe(true);
      const line = `[stub] contract ${want.bytes} bytes sha256=${sha12(want.contract)}`;
      await until(() => f.capture(name).includes(line), `${name} printing "${line}"`);
      const file = path.join(f.home, 'run', `${name}.contract.md`);
      expect(statSync(file).mode & 0o777).toBe(0o600);
    }
  });

  it('a roster command gets the contract as its first verified message once idle', async () => {
    const f = fleet([
      { name: 'orch' },
      { name: 'enh' },
      {
        name: 'tool',
        class: 'implementer',
        extra: `command: ${JSON.stringify([process.execPath, STUB])}`,
      },
    ]);
    expect((await f.run(['up', '--stagger', '0'])).code).toBe(0);
    const want = await f.json<ContractJson>(['agent', 'contract', 'tool']);
    // the command runs the stub without the launcher's flags: no contract at start
    const got = await until(
      () => f.stubLog().find((m) => m.text.includes('# Fleet contract: tool')),
      'the contract typed into the command agent',
      30_000,
    );
    expect(got.text).toBe(`[from fleet] ${want.contract}`);
    expect(f.capture('tool')).not.toContain('[stub] contract ');
  });

  it('an unknown role fails that agent with one line and starts nothing for it; the others start', async () => {
    const f = fleet([
      { name: 'orch' },
      { name: 'enh' },
      { name: 'bad', class: 'implementer', extra: 'role: wizard' },
    ]);
    const up = await f.run(['up', '--stagger', '0']);
    expect(up.code).not.toBe(0);
    expect(up.stdout).toMatch(/started\s+orch[\s\S]*started\s+enh/);
    const lines = up.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^failed {4}bad: agent bad: not started, its contract cannot be composed: .*agent "bad": role "wizard" is not in the persona library/,
    );
    expect(sessions(f)).toEqual(['_holder', 'enh', 'orch']);
    for (const suffix of ['contract.md', 'launch.json', 'hb'])
      expect(existsSync(path.join(f.home, 'run', `bad.${suffix}`))).toBe(false);
  });
});
