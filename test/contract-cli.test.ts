import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runFleet, tempHome } from './support/fleet-cli.js';

/** `fleet agent contract` and `fleet comms-block` read files only: no fleetd, no tmux here. */
describe('fleet agent contract and fleet comms-block (built binary)', () => {
  let home: string;
  beforeAll(async () => {
    home = tempHome();
    expect((await runFleet(home, ['init', '--profile', 'coding', '--write'])).code).toBe(0);
    mkdirSync(path.join(home, 'overlays'));
    writeFileSync(path.join(home, 'overlays', '_all.md'), 'Everyone: times are UTC.\n');
    writeFileSync(path.join(home, 'overlays', 'coder0.md'), 'coder0: keep PRs small.\n');
  });

  it('prints the contract, with the overlays last', async () => {
    const r = await runFleet(home, ['agent', 'contract', 'coder0']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.startsWith('# Fleet contract: coder0\n')).toBe(true);
    expect(r.stdout).toContain('| role | code (Code) |');
    expect(r.stdout).toContain(
      '- `orchestrator`: `fleet agent send orchestrator --verify --source coder0 "<text>"`',
    );
    expect(r.stdout).toContain('This fleet has no NORTH_STAR.yaml yet');
    expect(r.stdout).toMatch(
      /## Operator notes for every agent\n\nEveryone: times are UTC\.\n\n## Operator notes for coder0\n\ncoder0: keep PRs small\.\n$/,
    );
  });

  it('prints JSON with tenant, host, size, the same text and its sections', async () => {
    const text = (await runFleet(home, ['agent', 'contract', 'coder0'])).stdout;
    const r = await runFleet(home, ['agent', 'contract', 'coder0', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as {
      tenant_id: string;
      host: string;
      agent: string;
      bytes: number;
      contract: string;
      sections: { id: string; title: string; bytes: number; file?: string }[];
    };
    expect(j).toMatchObject({ tenant_id: 'default', agent: 'coder0' });
    expect(j.host.length).toBeGreaterThan(0);
    expect(j.contract).toBe(text);
    expect(j.bytes).toBe(Buffer.byteLength(text));
    expect(j.sections.map((s) => s.id)).toEqual([
      'identity',
      'role',
      'mission',
      'duties',
      'comms',
      'overlay-all',
      'overlay-agent',
    ]);
    expect(j.sections.at(-1)?.file).toBe(path.join(home, 'overlays', 'coder0.md'));
  });

  it('comms-block prints only the comms section, as it appears in the contract', async () => {
    const contract = (await runFleet(home, ['agent', 'contract', 'reviewer'])).stdout;
    const r = await runFleet(home, ['comms-block', 'reviewer']);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('## Fleet comms\n')).toBe(true);
    expect(contract).toContain(r.stdout);
    expect(r.stdout).not.toContain('## Identity');

    const there = await runFleet(home, ['comms-block', 'reviewer', '--host', 'box-z']);
    expect(there.stdout).toContain('You are `reviewer` on host `box-z`');
  });

  it('fails with one line and exit 6 for an agent that is not in the roster', async () => {
    for (const args of [
      ['comms-block', 'nobody'],
      ['agent', 'contract', 'nobody'],
    ]) {
      const r = await runFleet(home, args);
      expect(r.code).toBe(6);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toEqual([
        'fleet: unknown agent "nobody" (known: orchestrator, enhancer, coder0, coder1, reviewer)',
      ]);
    }
  });

  it('names the roster line of a role the library lacks, and refuses an oversized overlay', async () => {
    const bad = tempHome();
    await runFleet(bad, ['init', '--profile', 'coding', '--write']);
    const file = path.join(bad, 'roster.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('role: review', 'role: wizard'));
    const role = await runFleet(bad, ['agent', 'contract', 'reviewer']);
    expect(role.code).toBe(3);
    expect(role.stderr.trim().split('\n')).toHaveLength(1);
    expect(role.stderr).toMatch(
      /^fleet: .*roster\.yaml:\d+:\d+: agents\[4\]\.role: agent "reviewer": role "wizard" is not in the persona library/,
    );

    mkdirSync(path.join(bad, 'overlays'));
    writeFileSync(path.join(bad, 'overlays', 'coder0.md'), 'x'.repeat(30_000));
    const big = await runFleet(bad, ['agent', 'contract', 'coder0']);
    expect(big.code).toBe(2);
    expect(big.stderr.trim().split('\n')).toHaveLength(1);
    expect(big.stderr).toMatch(
      /^fleet: contract for agent "coder0" is \d+ bytes, over the 24576-byte budget/,
    );
  });
});
