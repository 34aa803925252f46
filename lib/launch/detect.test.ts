import { describe, expect, it } from 'vitest';
import { listRuntimes } from '../runtimes/registry.js';
import { detectRuntime, drift } from './detect.js';

const all = listRuntimes();

describe('what runs in a pane', () => {
  it.each([
    [['node', '/x/framework/stub/agent.mjs', '--yolo'], 'stub'],
    [['node', '/p/node_modules/.bin/pi'], 'pi'],
    [['claude', '--settings', 'f'], 'claude'],
    [['/usr/bin/node', '--no-warnings', '/p/node_modules/@openai/codex/bin/codex.js'], 'codex'],
    [['/p/node_modules/.bin/opencode'], 'opencode'],
    [['python3', 'dogfood-agent.py'], null],
  ])('%j is %s', (argv, want) => {
    expect(detectRuntime(argv, 'node', all)).toBe(want);
  });

  it('falls back to a distinctive process name when argv cannot be read', () => {
    expect(detectRuntime(null, 'claude', all)).toBe('claude');
    expect(detectRuntime(null, 'node', all)).toBeNull();
  });

  it('flags drift: the roster says pi, the pane runs something else', () => {
    expect(
      drift({
        rosterRuntime: 'pi',
        argv: ['python3', 'dogfood-agent.py'],
        currentCommand: 'python3',
        adapters: all,
      }),
    ).toBe(true);
    expect(
      drift({
        rosterRuntime: 'pi',
        argv: ['node', '/a/framework/stub/agent.mjs'],
        currentCommand: 'node',
        adapters: all,
      }),
    ).toBe(true);
    expect(
      drift({
        rosterRuntime: 'stub',
        argv: ['node', '/a/framework/stub/agent.mjs'],
        currentCommand: 'node',
        adapters: all,
      }),
    ).toBe(false);
    expect(
      drift({ rosterRuntime: 'pi', argv: null, currentCommand: 'node', adapters: all }),
    ).toBeNull();
  });

  it('with a command override, compares against the command', () => {
    const cmd = ['/opt/mytool', '--x'];
    expect(
      drift({
        rosterRuntime: 'claude',
        commandOverride: cmd,
        argv: ['/opt/mytool', '--x'],
        currentCommand: 'mytool',
        adapters: all,
      }),
    ).toBe(false);
    expect(
      drift({
        rosterRuntime: 'claude',
        commandOverride: cmd,
        argv: ['bash'],
        currentCommand: 'bash',
        adapters: all,
      }),
    ).toBe(true);
  });
});
