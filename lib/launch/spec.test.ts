import { describe, expect, it } from 'vitest';
import { fleetHome } from '../home.js';
import { resolveAgent } from '../roster/resolve.js';
import { rosterSchema, type RosterInput } from '../roster/schema.js';
import { getRuntime } from '../runtimes/registry.js';
import { buildLaunchSpec, type LaunchInput } from './spec.js';

const home = fleetHome('/fh');

function input(
  agent: Record<string, unknown>,
  over: Partial<LaunchInput> = {},
  rosterExtra: Partial<RosterInput> = {},
): LaunchInput {
  const roster = rosterSchema.parse({
    version: 2,
    agents: [{ name: 'a1', class: 'implementer', ...agent }],
    ...rosterExtra,
  });
  const resolved = resolveAgent(roster, roster.agents[0]!, 'h1');
  return {
    home,
    agent: resolved,
    adapter: getRuntime(resolved.runtime),
    epoch: 4,
    socketName: 'sock',
    base: {
      PATH: '/usr/bin:/bin',
      HOME: '/home/u',
      USER: 'u',
      LANG: 'C.UTF-8',
      DATABASE_URL: 'postgres://u:secret@db/x',
      BETTER_AUTH_SECRET: 'shh',
      TMUX: '/tmp/tmux-0/default,1,0',
      TMUX_PANE: '%3',
      TERM: 'xterm-kitty',
    },
    envFile: { FROM_FILE: '1', TMUX: 'x' },
    nodePath: '/opt/node/bin/node',
    frameworkFile: (rel) => `/fw/${rel}`,
    fleetArgv: ['/opt/node/bin/node', '/app/dist/fleet.mjs'],
    envBin: '/usr/bin/env',
    term: 'tmux-256color',
    umask: 0o027,
    resolve: (bin) => (bin.startsWith('/') ? bin : `/rt/bin/${bin}`),
    ...over,
  };
}

describe('launch spec', () => {
  it('gives the agent an allowlisted env: no secrets, no TMUX, epoch and identity set', () => {
    const s = buildLaunchSpec(
      input({ runtime: 'pi', env: { OPENAI_BASE_URL: 'http://localhost:1' } }),
    );
    expect(s.env.DATABASE_URL).toBeUndefined();
    expect(s.env.BETTER_AUTH_SECRET).toBeUndefined();
    expect(s.env.TMUX).toBeUndefined();
    expect(s.env.TMUX_PANE).toBeUndefined();
    expect(s.env).toMatchObject({
      HOME: '/home/u',
      USER: 'u',
      LANG: 'C.UTF-8',
      TERM: 'tmux-256color',
      FROM_FILE: '1',
      OPENAI_BASE_URL: 'http://localhost:1',
      FLEET_HOME: '/fh',
      MOSAIC_AGENT_NAME: 'a1',
      MOSAIC_AGENT_EPOCH: '4',
      MOSAIC_HEARTBEAT_FILE: '/fh/run/a1.hb',
      MOSAIC_FLEET_BIN: '/app/dist/fleet.mjs',
    });
  });

  it("bakes the runtime's bin_dir and node's dir into PATH, first", () => {
    const s = buildLaunchSpec(
      input({ runtime: 'pi' }, {}, { runtimes: { pi: { bin_dir: '/opt/pi/bin' } } }),
    );
    expect(s.env.PATH).toBe('/opt/pi/bin:/fh/run/bin:/opt/node/bin:/usr/bin:/bin');
  });

  it("runs env -i with exactly that env under the operator's umask, then execs the runtime", () => {
    const s = buildLaunchSpec(input({ runtime: 'pi', model: 'm1' }));
    expect(s.argv).toEqual(['/rt/bin/pi', '--model', 'm1']);
    // the only shell script is a constant: every other word is a positional parameter
    expect(s.paneArgv.slice(0, 4)).toEqual(['/bin/sh', '-c', 'umask 0027; exec "$@"', 'sh']);
    expect(s.paneArgv.slice(4, 6)).toEqual(['/usr/bin/env', '-i']);
    expect(s.paneArgv.slice(-3)).toEqual(s.argv);
    const assignments = s.paneArgv.slice(6, -3);
    expect(
      Object.fromEntries(
        assignments.map((a) => [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]),
      ),
    ).toEqual(s.env);
    expect(s.heartbeat).toBe('fleetd');
  });

  it('launches the stub with node and writes its own heartbeat (fleetd does not read its screen for one)', () => {
    const s = buildLaunchSpec(input({ runtime: 'stub', yolo: true, channels: ['c1'] }));
    expect(s.argv).toEqual([
      '/opt/node/bin/node',
      '/fw/stub/agent.mjs',
      '--yolo',
      '--channels',
      'c1',
    ]);
    expect(s.heartbeat).toBe('runtime');
  });

  it('honours a roster command override as argv words, never a shell string', () => {
    const s = buildLaunchSpec(input({ runtime: 'claude', command: 'mytool --flag "two words"' }));
    expect(s.argv).toEqual(['/rt/bin/mytool', '--flag', 'two words']);
    expect(s.files.map((f) => f.path)).toEqual(['/fh/run/bin/fleet']);
  });

  it('wires Claude Code hooks through --settings and codex through notify', () => {
    const c = buildLaunchSpec(input({ runtime: 'claude', yolo: true }));
    expect(c.argv).toEqual([
      '/rt/bin/claude',
      '--dangerously-skip-permissions',
      '--settings',
      '/fh/run/a1.claude-settings.json',
    ]);
    // run/bin/fleet lets the agent run the report commands in its prompt
    expect(c.files[0]).toEqual({
      path: '/fh/run/bin/fleet',
      content: "#!/bin/sh\nexec '/opt/node/bin/node' '/app/dist/fleet.mjs' \"$@\"\n",
      mode: 0o755,
    });
    const settings = JSON.parse(c.files[1]!.content) as {
      hooks: Record<string, { hooks: { command: string }[] }[]>;
    };
    expect(Object.keys(settings.hooks)).toEqual([
      'SessionStart',
      'UserPromptSubmit',
      'Stop',
      'Notification',
    ]);
    expect(settings.hooks.Stop![0]!.hooks[0]!.command).toBe(
      "'/opt/node/bin/node' '/app/dist/fleet.mjs' 'hook' 'claude' 'Stop'",
    );
    const x = buildLaunchSpec(input({ runtime: 'codex' }));
    expect(x.argv).toEqual([
      '/rt/bin/codex',
      '-c',
      'notify=["/opt/node/bin/node","/app/dist/fleet.mjs","hook","codex"]',
    ]);
  });

  it('fails clearly when the runtime is not installed', () => {
    expect(() => buildLaunchSpec(input({ runtime: 'opencode' }, { resolve: () => null }))).toThrow(
      /runtime "opencode" needs "opencode" \(npm package opencode-ai\), not found on PATH; install it or set runtimes.opencode.bin_dir/,
    );
  });
  it('gives Claude Code agents the fleet context cap, unless the roster says otherwise', () => {
    const c = buildLaunchSpec(input({ runtime: 'claude' }));
    expect(c.env).toMatchObject({
      CLAUDE_CODE_DISABLE_1M_CONTEXT: '1',
      CLAUDE_CODE_AUTO_COMPACT_WINDOW: '200000',
    });
    const own = buildLaunchSpec(
      input({ runtime: 'claude', env: { CLAUDE_CODE_AUTO_COMPACT_WINDOW: '150000' } }),
    );
    expect(own.env.CLAUDE_CODE_AUTO_COMPACT_WINDOW).toBe('150000');
    expect(buildLaunchSpec(input({ runtime: 'codex' })).env).not.toHaveProperty(
      'CLAUDE_CODE_DISABLE_1M_CONTEXT',
    );
  });

  it('lets Claude Code (--add-dir) and Codex (a writable root) into the card worktrees when the roster has repos (docs/review.md)', () => {
    const over = { worktreesDir: '/fh/worktrees' };
    const claude = buildLaunchSpec(input({ runtime: 'claude' }, over)).argv;
    expect(claude.slice(-2)).toEqual(['--add-dir', '/fh/worktrees']);
    const codex = buildLaunchSpec(input({ runtime: 'codex' }, over)).argv;
    expect(codex).toContain('sandbox_workspace_write.writable_roots=["/fh/worktrees"]');
    expect(codex).not.toContain('--add-dir');
    for (const runtime of ['pi', 'stub', 'opencode'])
      expect(buildLaunchSpec(input({ runtime }, over)).argv).not.toContain('--add-dir');
    expect(buildLaunchSpec(input({ runtime: 'claude' })).argv).not.toContain('--add-dir');
  });
});
