import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FleetError, RosterInvalid } from '../errors.js';
import { FLOOR_ROSTER } from './fixtures.js';
import { loadedRosterReader, parseRoster } from './load.js';
import { resolveAgent } from './resolve.js';

function invalid(text: string): RosterInvalid {
  try {
    parseRoster(text, 'roster.yaml');
  } catch (e) {
    if (e instanceof RosterInvalid) return e;
    throw e;
  }
  throw new Error('expected RosterInvalid');
}

const floor = (extra: string) =>
  `version: 2\nagents:\n  - name: o\n    runtime: claude\n    class: orchestrator\n  - name: e\n    runtime: claude\n    class: enhancer\n${extra}`;

describe('parseRoster', () => {
  it('accepts a floor roster and applies defaults and aliases', () => {
    const { roster } = parseRoster(FLOOR_ROSTER, 'roster.yaml');
    expect(roster.tmux.socket_name).toBe('test-sock');
    expect(roster.tmux.holder_session).toBe('_holder');
    const coder = resolveAgent(roster, roster.agents[2]!, 'h1');
    expect(coder).toMatchObject({
      runtime: 'pi',
      model: 'openai/gpt',
      yolo: false,
      tenantId: 'default',
      host: 'h1',
    });
    expect(coder.restart.max_restarts).toBe(5);
  });

  it('names file:line:column and the field for a YAML syntax error', () => {
    const e = invalid('version: 2\nagents:\n  - name: [unclosed\n');
    expect(e.file).toBe('roster.yaml');
    expect(e.line).toBeGreaterThanOrEqual(3);
    expect(e.message).toMatch(/^roster\.yaml:\d+:\d+:/);
  });

  it('points at a bad agent name', () => {
    const e = invalid(floor('  - name: Bad_Name\n    runtime: pi\n    class: worker\n'));
    expect(e.issues[0]).toMatchObject({ line: 9, column: 11, path: 'agents[2].name' });
    expect(e.message).toContain('roster.yaml:9:11: agents[2].name:');
  });

  it('points at an unknown field', () => {
    const e = invalid(floor('  - name: w\n    runtime: pi\n    class: worker\n    modle: x\n'));
    expect(e.issues[0]).toMatchObject({ line: 12, column: 5, path: 'agents[2].modle' });
    expect(e.message).toContain('unknown field "modle"');
  });

  it('reports a missing required field at its parent', () => {
    const e = invalid(floor('  - name: w\n    runtime: pi\n'));
    expect(e.issues[0]).toMatchObject({ path: 'agents[2].class', line: 9 });
    expect(e.message).toContain('is required');
  });

  it('rejects duplicate names at the second one', () => {
    const e = invalid(floor('  - name: o\n    runtime: pi\n    class: worker\n'));
    expect(e.issues[0]).toMatchObject({ path: 'agents[2].name', line: 9 });
    expect(e.message).toContain('duplicate agent name "o"');
  });

  it('rejects an unknown runtime, naming the known ones', () => {
    const e = invalid(floor('  - name: w\n    runtime: gpt9\n    class: worker\n'));
    expect(e.issues[0]).toMatchObject({ path: 'agents[2].runtime', line: 10, column: 14 });
    expect(e.message).toMatch(/unknown runtime "gpt9" \(known: aider, claude/);
  });

  it('accepts a custom runtime declared with a command', () => {
    const text = floor('  - name: w\n    runtime: mine\n    class: worker\n').replace(
      'agents:',
      'runtimes:\n  mine:\n    command: my-agent --fast\nagents:',
    );
    const { roster } = parseRoster(text, 'r.yaml');
    expect(resolveAgent(roster, roster.agents[2]!).command).toEqual(['my-agent', '--fast']);
  });

  it('rejects a second orchestrator', () => {
    const e = invalid(floor('  - name: o2\n    runtime: pi\n    class: orchestrator\n'));
    expect(e.issues[0]).toMatchObject({ path: 'agents[2].class', line: 11 });
    expect(e.message).toContain('only one orchestrator');
  });

  it('requires an orchestrator and an enhancer once a fleet has two agents', () => {
    const e = invalid(
      'version: 2\nagents:\n  - name: a\n    runtime: pi\n    class: worker\n  - name: b\n    runtime: pi\n    class: worker\n',
    );
    expect(e.issues.map((i) => i.message)).toEqual([
      expect.stringContaining('exactly one agent with class: orchestrator'),
      expect.stringContaining('at least one agent with class: enhancer'),
    ]);
    expect(e.issues[0]).toMatchObject({ path: 'agents', line: 3 });
  });

  it('lets a one-agent (minimal) roster skip the floor', () => {
    expect(
      parseRoster(
        'version: 2\nagents:\n  - name: canary\n    runtime: pi\n    class: canary\n',
        'r',
      ).roster.agents,
    ).toHaveLength(1);
  });

  it('rejects runtime and harness that disagree, and model vs model_hint', () => {
    const e = invalid(
      floor(
        '  - name: w\n    runtime: pi\n    harness: codex\n    class: worker\n    model: a\n    model_hint: b\n',
      ),
    );
    expect(e.issues.map((i) => i.path)).toEqual(['agents[2].harness', 'agents[2].model_hint']);
  });

  it('accepts harness as the runtime field', () => {
    const { roster } = parseRoster(
      floor('  - name: w\n    harness: codex\n    class: worker\n'),
      'r',
    );
    expect(resolveAgent(roster, roster.agents[2]!).runtime).toBe('codex');
  });

  it('rejects a version newer than this build', () => {
    const e = invalid('version: 99\nagents: []\n');
    expect(e.issues[0]).toMatchObject({ path: 'version', line: 1, column: 10 });
  });

  it('migrates a version 1 roster in memory, model_hint → model', () => {
    const text = floor(
      '  - name: w\n    runtime: pi\n    class: worker\n    model_hint: m1\n',
    ).replace('version: 2', 'version: 1');
    const loaded = parseRoster(text, 'r');
    expect(loaded.migratedFrom).toEqual([1]);
    expect(loaded.roster.version).toBe(2);
    expect(loaded.doc.toString()).toContain('model: m1');
  });

  it('reads a bare ~ working directory as home', () => {
    const { roster } = parseRoster(
      floor('').replace('agents:', 'defaults:\n  working_directory: ~\nagents:'),
      'r',
    );
    expect(resolveAgent(roster, roster.agents[0]!).workingDirectory).not.toBe('~');
  });

  it('rejects a bad type with the zod message at the value', () => {
    const e = invalid(floor('  - name: w\n    runtime: pi\n    class: worker\n    yolo: "yes"\n'));
    expect(e.issues[0]).toMatchObject({ path: 'agents[2].yolo', line: 12, column: 11 });
  });
});

describe('loadedRosterReader', () => {
  it('parses again only when the file changed, and says the same error until it does', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mf-roster-reader-'));
    try {
      const file = path.join(dir, 'roster.yaml');
      const read = loadedRosterReader(file);
      for (let i = 0; i < 2; i++)
        expect(() => read()).toThrow(expect.objectContaining({ code: 'ROSTER_MISSING' }));
      writeFileSync(file, FLOOR_ROSTER);
      const first = read();
      expect(read()).toBe(first); // the same parse, not a new one
      writeFileSync(file, `${FLOOR_ROSTER}\nbogus: [`);
      expect(() => read()).toThrow(FleetError);
      expect(() => read()).toThrow(FleetError);
      writeFileSync(file, FLOOR_ROSTER.replace('version: 2', 'version: 2 '));
      expect(read().roster.agents.length).toBe(first.roster.agents.length);
      expect(read()).not.toBe(first);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
