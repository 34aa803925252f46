import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fleetHome } from '../home.js';
import { adapterFor, resetCommandFor } from '../launch/adapter.js';
import { detectRuntime, drift } from '../launch/detect.js';
import { buildLaunchSpec } from '../launch/spec.js';
import { resolveAgent } from '../roster/resolve.js';
import { rosterSchema } from '../roster/schema.js';
import { classifyScreen, inputText } from '../screen.js';
import { listRuntimes, RUNTIME_IDS, runtimeRegistry } from './registry.js';
import type { RuntimeAdapter } from './types.js';

// Adding a runtime is one file and one registry line (docs/runtimes.md "Adding a runtime"):
// this one is defined here and registered nowhere else, and everything the fleet does with
// it — launch argv, native wiring, detection in a pane, reset, screen — comes from it alone.
const toy: RuntimeAdapter = {
  id: 'toy',
  title: 'Toy agent',
  bin: 'toy-agent',
  npmPackage: '@toy/agent',
  resetCommand: '/forget',
  supportsModel: true,
  supportsYolo: true,
  supportsChannels: false,
  nativeState: 'notify',
  processNames: ['toy-agent'],
  args: (o) => [...(o.model ? ['-m', o.model] : []), ...(o.yolo ? ['--auto'] : [])],
  native: {
    wire: (ctx) => {
      const file = ctx.runFile('toy.json');
      return {
        argsBefore: ['--report-config', file],
        argsAfter: ['--then', 'report'],
        env: { TOY_REPORT_ARGV: JSON.stringify(ctx.hookArgv), MOSAIC_AGENT_NAME: 'not-me' },
        files: [{ path: file, content: JSON.stringify({ report: ctx.hookArgv }) }],
      };
    },
    hook: {
      argument: '<state>',
      help: 'idle | busy',
      payloadOnStdin: false,
      read: (arg = '') => ({ status: arg === 'busy' || arg === 'idle' ? arg : null, event: arg }),
    },
  },
  screen: {
    idle: [/^toy> ?/m],
    busy: [/thinking…/],
    waiting: [/may I\?/],
    input: /^toy> ?(.*)$/,
  },
};

const registry = runtimeRegistry([...listRuntimes(), toy]);

function toyAgent(extra: Record<string, unknown> = {}, runtimes: Record<string, unknown> = {}) {
  const roster = rosterSchema.parse({
    version: 2,
    runtimes,
    agents: [{ name: 'a1', class: 'implementer', runtime: 'toy', ...extra }],
  });
  return resolveAgent(roster, roster.agents[0]!, 'h1');
}

function spec(agent: ReturnType<typeof toyAgent>) {
  return buildLaunchSpec({
    home: fleetHome('/fh'),
    agent,
    adapter: adapterFor(agent, registry),
    epoch: 2,
    socketName: 'sock',
    base: { PATH: '/usr/bin:/bin' },
    envFile: {},
    nodePath: '/opt/node/bin/node',
    frameworkFile: (rel) => `/fw/${rel}`,
    fleetArgv: ['/opt/node/bin/node', '/app/dist/fleet.mjs'],
    envBin: '/usr/bin/env',
    term: 'tmux-256color',
    umask: 0o022,
    resolve: (bin) => (bin.startsWith('/') ? bin : `/rt/bin/${bin}`),
  });
}

describe('a runtime registered from one file', () => {
  it('is what adapterFor finds, and only in the registry it was added to', () => {
    expect(adapterFor(toyAgent(), registry)).toBe(toy);
    expect(adapterFor(toyAgent()).title).toBe('custom runtime toy');
  });

  it('gives the launch argv, native wiring, env and files', () => {
    const s = spec(toyAgent({ model: 'm1', yolo: true }));
    const hookArgv = ['/opt/node/bin/node', '/app/dist/fleet.mjs', 'hook', 'toy'];
    expect(s.argv).toEqual([
      '/rt/bin/toy-agent',
      '--report-config',
      '/fh/run/a1.toy.json',
      '-m',
      'm1',
      '--auto',
      '--then',
      'report',
    ]);
    expect(s.env.TOY_REPORT_ARGV).toBe(JSON.stringify(hookArgv));
    // the fleet's identity variables win over an adapter's
    expect(s.env.MOSAIC_AGENT_NAME).toBe('a1');
    expect(s.files.map((f) => f.path)).toEqual(['/fh/run/bin/fleet', '/fh/run/a1.toy.json']);
    expect(JSON.parse(s.files[1]!.content)).toEqual({ report: hookArgv });
    expect(s.heartbeat).toBe('fleetd');
  });

  it('is not wired when the roster replaces its command', () => {
    const s = spec(toyAgent({ command: ['/opt/other', '-x'] }));
    expect(s.argv).toEqual(['/opt/other', '-x']);
    expect(s.env.TOY_REPORT_ARGV).toBeUndefined();
    expect(s.files.map((f) => f.path)).toEqual(['/fh/run/bin/fleet']);
  });

  it('is detected in a pane by its bin or its npm package', () => {
    const all = registry.list();
    expect(detectRuntime(['/usr/bin/node', '/p/node_modules/@toy/agent/cli.js'], 'node', all)).toBe(
      'toy',
    );
    expect(detectRuntime(null, 'toy-agent', all)).toBe('toy');
    const argv = ['/rt/bin/toy-agent', '--auto'];
    expect(drift({ rosterRuntime: 'toy', argv, currentCommand: 'toy-agent', adapters: all })).toBe(
      false,
    );
    expect(drift({ rosterRuntime: 'pi', argv, currentCommand: 'toy-agent', adapters: all })).toBe(
      true,
    );
  });

  it('resets with its own command unless the roster says otherwise', () => {
    expect(resetCommandFor(toyAgent(), registry)).toBe('/forget');
    expect(resetCommandFor(toyAgent({}, { toy: { reset_command: '/wipe' } }), registry)).toBe(
      '/wipe',
    );
  });

  it('reads its screen and its hook calls', () => {
    const screen = adapterFor(toyAgent(), registry).screen;
    expect(classifyScreen(['toy> half'], screen)).toBe('idle');
    expect(inputText(['toy> half'], screen)).toBe('half');
    expect(classifyScreen(['thinking…'], screen)).toBe('busy');
    expect(toy.native!.hook.read('busy', '')).toEqual({ status: 'busy', event: 'busy' });
  });

  it('refuses an id registered twice', () => {
    expect(() => runtimeRegistry([toy, toy])).toThrow(/"toy" is registered twice/);
  });
});

describe('the code around the adapters names no runtime', () => {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  const sources = [
    ...['lib/launch', 'lib/heartbeat'].flatMap((dir) =>
      readdirSync(path.join(root, dir))
        .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
        .map((f) => path.join(dir, f)),
    ),
    'cli/hook.ts',
  ];
  it.each(sources)('%s', (file) => {
    // comments may name runtimes; code may not
    const code = readFileSync(path.join(root, file), 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/\/\/.*$/gm, '');
    for (const id of RUNTIME_IDS) {
      expect(code, `${file} names runtime ${id}`).not.toMatch(new RegExp(`['"\`]${id}['"\`]`));
    }
  });
});
