import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fleetHome, type FleetHome } from '../home.js';
import { FLOOR_ROSTER } from '../roster/fixtures.js';
import { loadRoster } from '../roster/load.js';
import type { AgentFields } from '../web/roster-form.js';
import { addAgent, removeAgent, setAgentFields } from './roster.js';

let home: FleetHome;
afterEach(() => rmSync(home.root, { recursive: true, force: true }));

function freshHome(): FleetHome {
  home = fleetHome(mkdtempSync(path.join(os.tmpdir(), 'mf-ops-roster-')));
  writeFileSync(home.roster, FLOOR_ROSTER);
  return home;
}

/** The panel's form for coder0 (runtime pi), with some fields changed. */
const form = (over: Partial<AgentFields>): AgentFields => ({
  runtime: 'pi',
  model: 'openai/gpt',
  yolo: false,
  ...over,
});

describe('roster operations', () => {
  it('add writes the agent and its env file; remove deletes both', () => {
    const h = freshHome();
    const added = addAgent(h, { name: 'w1', runtime: 'stub', class: 'worker' });
    expect(added.changed).toEqual(['w1']);
    expect(existsSync(h.agentEnv('w1'))).toBe(true);
    expect(added.hash).toBe(loadRoster(h.roster).hash);

    const removed = removeAgent(h, 'w1', added.hash);
    expect(readFileSync(h.roster, 'utf8')).not.toContain('w1');
    expect(existsSync(h.agentEnv('w1'))).toBe(false);
    // the other agents keep theirs, and the comments survive
    expect(existsSync(h.agentEnv('coder0'))).toBe(true);
    expect(readFileSync(h.roster, 'utf8')).toContain('# the enhancer keeps tooling sharp');
    expect(removed.envFiles.map((f) => path.basename(f)).sort()).toEqual([
      'coder0.env',
      'enhancer.env',
      'orchestrator.env',
    ]);
  });

  it('detects an edit made since the caller read the roster, and writes nothing', () => {
    const h = freshHome();
    const { hash } = loadRoster(h.roster);
    writeFileSync(h.roster, `${FLOOR_ROSTER}# edited elsewhere\n`);
    expect(() => setAgentFields(h, 'coder0', form({ model: 'm2' }), hash)).toThrow(/changed/);
    expect(readFileSync(h.roster, 'utf8')).not.toContain('m2');
  });

  it('writes only fields that differ, and nothing when none do', () => {
    const h = freshHome();
    const { hash } = loadRoster(h.roster);
    const same = setAgentFields(h, 'coder0', form({ model: 'openai/gpt' }), hash);
    expect(same).toEqual({ hash, changed: [], envFiles: [] });
    const changed = setAgentFields(h, 'coder0', form({ model: 'm2' }), hash);
    expect(changed.changed).toEqual(['model']);
    expect(readFileSync(h.agentEnv('coder0'), 'utf8')).toContain('m2');
  });
});
