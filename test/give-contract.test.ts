/**
 * The detached sender of a first-message contract (docs/runtimes.md "Contract delivery") stops at
 * once when its launch was replaced, so a crash-looping agent does not leave one waiting sender
 * per restart; and it settles the debt it was started for, never a newer launch's.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fleetHome } from '@/lib/home.js';
import { contractOwed, markContractOwed } from '@/lib/launch/contract-owed.js';
import { EMPTY_STATE, writeLaunchState } from '@/lib/run/launch-state.js';
import { runFleet, tempHome } from './support/fleet-cli.js';

describe('fleet agent give-contract', () => {
  it('gives up at once for a replaced launch and leaves the newer launch owed', async () => {
    const root = tempHome();
    const home = fleetHome(root);
    mkdirSync(home.runDir, { recursive: true });
    writeFileSync(
      home.roster,
      [
        'version: 2',
        'tmux: { socket_name: mf-give-contract-none }',
        'agents:',
        '  - { name: orch, class: orchestrator, runtime: stub }',
        '  - { name: enh, class: enhancer, runtime: stub }',
        `  - { name: w0, class: worker, runtime: stub, command: [${JSON.stringify(process.execPath)}, x.mjs] }`,
        '',
      ].join('\n'),
    );
    writeFileSync(home.agentRunFile('w0', 'contract.md'), '# Fleet contract: w0\n');
    writeLaunchState(home, 'w0', { ...EMPTY_STATE, epoch: 2, stopped: false });
    const deps = { home, now: () => Date.now() };
    markContractOwed(deps, 'w0', 2);
    const r = await runFleet(root, ['agent', 'give-contract', 'w0', '--epoch', '1']);
    expect(r.stderr.trim()).toBe(
      'w0: send_failed — launch 1 was replaced by launch 2, which gives its own contract',
    );
    expect(contractOwed(deps, 'w0', 2)).toBe(true);
  });
});
