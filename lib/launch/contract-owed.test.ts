import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fleetHome } from '../home.js';
import { CONTRACT_SEND_WAIT_S, contractOwed, markContractOwed } from './contract-owed.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function deps(now: { t: number }) {
  const root = mkdtempSync(path.join(os.tmpdir(), 'owed-'));
  dirs.push(root);
  mkdirSync(path.join(root, 'run'));
  return { home: fleetHome(root), now: () => now.t };
}

describe('a first-message contract owed (docs/runtimes.md "Contract delivery")', () => {
  it('is owed to the epoch that was launched, not to an older or newer one', () => {
    const clock = { t: 1_000_000 };
    const d = deps(clock);
    expect(contractOwed(d, 'w0', 3)).toBe(false);
    markContractOwed(d, 'w0', 3);
    expect(contractOwed(d, 'w0', 3)).toBe(true);
    expect(contractOwed(d, 'w0', 2)).toBe(false);
    expect(contractOwed(d, 'w0', 4)).toBe(false);
    expect(contractOwed(d, 'w0', null)).toBe(false);
    expect(contractOwed(d, 'other', 3)).toBe(false);
  });

  it('is forgotten once its sender must have given up, so a dead sender cannot idle an agent', () => {
    const clock = { t: 1_000_000 };
    const d = deps(clock);
    markContractOwed(d, 'w0', 1);
    clock.t += CONTRACT_SEND_WAIT_S * 1000;
    expect(contractOwed(d, 'w0', 1)).toBe(true);
    clock.t += 61_000;
    expect(contractOwed(d, 'w0', 1)).toBe(false);
  });

  it('a damaged record owes nothing', () => {
    const d = deps({ t: 0 });
    writeFileSync(d.home.agentRunFile('w0', 'contract-owed'), '{"epoch":');
    expect(contractOwed(d, 'w0', 1)).toBe(false);
  });
});
