import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FloorViolation, RosterConflict, RosterInvalid } from '../errors.js';
import { fleetHome } from '../home.js';
import { parseEnvFile } from './env.js';
import { FLOOR_ROSTER } from './fixtures.js';
import { loadRoster } from './load.js';
import {
  saveRoster,
  withAgentAdded,
  withAgentFields,
  withAgentRemoved,
  writeAgentEnvFiles,
} from './write.js';

function tmpRoster(text = FLOOR_ROSTER): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mf-roster-'));
  const file = path.join(dir, 'roster.yaml');
  writeFileSync(file, text);
  return file;
}

describe('roster writes', () => {
  it('keeps comments and layout through add and remove', () => {
    const file = tmpRoster();
    let loaded = loadRoster(file);
    loaded = saveRoster(
      loaded,
      withAgentAdded(loaded, {
        name: 'coder1',
        runtime: 'codex',
        class: 'implementer',
        yolo: true,
      }),
    );
    loaded = saveRoster(loaded, withAgentRemoved(loaded, 'coder0'));
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('# my fleet — keep this comment');
    expect(text).toContain('socket_name: test-sock # inline comment');
    expect(text).toContain('# the enhancer keeps tooling sharp');
    expect(text).toContain(
      '- name: coder1\n    runtime: codex\n    class: implementer\n    yolo: true',
    );
    expect(text).not.toContain('coder0');
    expect(loaded.roster.agents.map((x) => x.name)).toEqual(['orchestrator', 'enhancer', 'coder1']);
  });

  it('refuses to overwrite a file changed since it was read', () => {
    const file = tmpRoster();
    const loaded = loadRoster(file);
    const theirs = FLOOR_ROSTER.replace('test-sock', 'their-sock');
    writeFileSync(file, theirs);
    expect(() => saveRoster(loaded, withAgentRemoved(loaded, 'coder0'))).toThrow(RosterConflict);
    expect(readFileSync(file, 'utf8')).toBe(theirs);
  });

  it('changes nothing when the edit would make the roster invalid', () => {
    const file = tmpRoster();
    const loaded = loadRoster(file);
    expect(() =>
      saveRoster(loaded, withAgentFields(loaded, 'coder0', { runtime: 'nope' })),
    ).toThrow(RosterInvalid);
    expect(() => withAgentRemoved(loaded, 'orchestrator')).toThrow(FloorViolation);
    expect(readFileSync(file, 'utf8')).toBe(FLOOR_ROSTER);
  });

  it('replaces model_hint with model when the model is edited', () => {
    const file = tmpRoster();
    const loaded = loadRoster(file);
    saveRoster(loaded, withAgentFields(loaded, 'coder0', { model: 'new/model', yolo: true }));
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('model: new/model');
    expect(text).not.toContain('model_hint');
  });

  it('generates agents/<name>.env with launch fields and prunes removed agents', () => {
    const file = tmpRoster();
    const home = fleetHome(path.dirname(file));
    let loaded = loadRoster(file);
    loaded = saveRoster(
      loaded,
      withAgentFields(loaded, 'coder0', {
        command: 'pi --x "a b"',
        channels: ['c1', 'c2'],
        yolo: true,
      }),
    );
    writeAgentEnvFiles(home, loaded);
    const env = parseEnvFile(readFileSync(home.agentEnv('coder0'), 'utf8'));
    expect(env).toMatchObject({
      MOSAIC_AGENT_NAME: 'coder0',
      MOSAIC_AGENT_RUNTIME: 'pi',
      MOSAIC_AGENT_MODEL: 'openai/gpt',
      MOSAIC_AGENT_YOLO: '1',
      MOSAIC_AGENT_CHANNELS: 'c1,c2',
      MOSAIC_AGENT_COMMAND: JSON.stringify(['pi', '--x', 'a b']),
    });
    loaded = saveRoster(loaded, withAgentRemoved(loaded, 'coder0'));
    writeAgentEnvFiles(home, loaded);
    expect(() => readFileSync(home.agentEnv('coder0'))).toThrow();
  });
});
