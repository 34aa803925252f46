import { describe, expect, it } from 'vitest';
import { fleetHome } from '../home.js';
import { resolveAgent } from '../roster/resolve.js';
import { rosterSchema } from '../roster/schema.js';
import { getRuntime } from '../runtimes/registry.js';
import { CONTRACT_ARGV_MAX_BYTES, sha256Hex } from './contract.js';
import { buildLaunchSpec, type LaunchInput } from './spec.js';

const home = fleetHome('/fh');
const CONTRACT = '# Fleet contract: a1\n\nYou are `a1`. Say "hi" \\ bye.\n';
const FILE = '/fh/run/a1.contract.md';

function input(agent: Record<string, unknown>, contract: string | null = CONTRACT): LaunchInput {
  const roster = rosterSchema.parse({
    version: 2,
    agents: [{ name: 'a1', class: 'implementer', ...agent }],
  });
  const resolved = resolveAgent(roster, roster.agents[0]!, 'h1');
  return {
    home,
    agent: resolved,
    adapter: getRuntime(resolved.runtime),
    epoch: 1,
    socketName: 'sock',
    base: { PATH: '/usr/bin:/bin', HOME: '/home/u' },
    envFile: {},
    nodePath: '/opt/node/bin/node',
    frameworkFile: (rel) => `/fw/${rel}`,
    fleetArgv: ['/opt/node/bin/node', '/app/dist/fleet.mjs'],
    envBin: '/usr/bin/env',
    term: 'tmux-256color',
    umask: 0o022,
    resolve: (bin) => (bin.startsWith('/') ? bin : `/rt/bin/${bin}`),
    contract: contract ?? undefined,
  };
}

const contractFile = { path: FILE, content: CONTRACT, mode: 0o600 };
const hookArgv = ['/opt/node/bin/node', '/app/dist/fleet.mjs', 'hook'];

describe('contract delivery at launch (docs/runtimes.md "Contract delivery")', () => {
  it('Claude Code: --append-system-prompt-file run/<name>.contract.md, after --settings', () => {
    const s = buildLaunchSpec(input({ runtime: 'claude' }));
    expect(s.argv).toEqual([
      '/rt/bin/claude',
      '--settings',
      '/fh/run/a1.claude-settings.json',
      '--append-system-prompt-file',
      FILE,
    ]);
    expect(s.files).toContainEqual(contractFile);
    expect(s.contract).toEqual({
      file: FILE,
      bytes: Buffer.byteLength(CONTRACT),
      sha256: sha256Hex(CONTRACT),
      via: 'runtime',
    });
  });

  it('codex: -c developer_instructions=<the text as a TOML string>, before its own flags', () => {
    const s = buildLaunchSpec(input({ runtime: 'codex', model: 'gpt-5.5' }));
    expect(s.argv).toEqual([
      '/rt/bin/codex',
      '-c',
      `notify=${JSON.stringify([...hookArgv, 'codex'])}`,
      '-c',
      'developer_instructions="# Fleet contract: a1\\n\\nYou are `a1`. Say \\"hi\\" \\\\ bye.\\n"',
      '--model',
      'gpt-5.5',
    ]);
    expect(s.files).toContainEqual(contractFile);
    expect(s.contract?.via).toBe('runtime');
  });

  it('pi: --append-system-prompt <file> (pi reads a path that exists as its contents)', () => {
    const s = buildLaunchSpec(input({ runtime: 'pi' }));
    expect(s.argv).toEqual(['/rt/bin/pi', '--append-system-prompt', FILE]);
    expect(s.files).toEqual([expect.objectContaining({ path: '/fh/run/bin/fleet' }), contractFile]);
    expect(s.contract?.via).toBe('runtime');
  });

  it('opencode: OPENCODE_CONFIG_CONTENT with instructions: [file], argv untouched', () => {
    const s = buildLaunchSpec(input({ runtime: 'opencode' }));
    expect(s.argv).toEqual(['/rt/bin/opencode']);
    expect(s.env.OPENCODE_CONFIG_CONTENT).toBe(`{"instructions":["${FILE}"]}`);
    expect(s.paneArgv).toContain(`OPENCODE_CONFIG_CONTENT={"instructions":["${FILE}"]}`);
    expect(s.files).toContainEqual(contractFile);
    expect(s.contract?.via).toBe('runtime');
  });

  it('aider: --read <file>', () => {
    const s = buildLaunchSpec(input({ runtime: 'aider', yolo: true }));
    expect(s.argv).toEqual(['/rt/bin/aider', '--yes-always', '--read', FILE]);
    expect(s.files).toContainEqual(contractFile);
    expect(s.contract?.via).toBe('runtime');
  });

  it('stub: --contract-file <file>', () => {
    const s = buildLaunchSpec(input({ runtime: 'stub' }));
    expect(s.argv).toEqual(['/opt/node/bin/node', '/fw/stub/agent.mjs', '--contract-file', FILE]);
    expect(s.files).toContainEqual(contractFile);
    expect(s.contract?.via).toBe('runtime');
  });

  it('gemini has no append mechanism: the file is written and the contract goes as a message', () => {
    const s = buildLaunchSpec(input({ runtime: 'gemini' }));
    expect(s.argv).toEqual(['/rt/bin/gemini']);
    expect(Object.keys(s.env).filter((k) => k.startsWith('GEMINI'))).toEqual([]);
    expect(s.files).toContainEqual(contractFile);
    expect(s.contract?.via).toBe('message');
  });

  it('a roster command gets the contract as a message, never flags it would not know', () => {
    const s = buildLaunchSpec(input({ runtime: 'claude', command: ['mytool', '-x'] }));
    expect(s.argv).toEqual(['/rt/bin/mytool', '-x']);
    expect(s.files).toContainEqual(contractFile);
    expect(s.contract?.via).toBe('message');
  });

  it('a contract too large for a tmux command goes to codex as a message instead', () => {
    const big = `# Fleet contract: a1\n\n${'x'.repeat(CONTRACT_ARGV_MAX_BYTES)}\n`;
    const s = buildLaunchSpec(input({ runtime: 'codex' }, big));
    expect(s.argv.some((w) => w.startsWith('developer_instructions='))).toBe(false);
    expect(s.contract?.via).toBe('message');
    // a file mechanism is not affected by the size
    expect(buildLaunchSpec(input({ runtime: 'claude' }, big)).contract?.via).toBe('runtime');
  });

  it('without a contract the launch is as before', () => {
    const s = buildLaunchSpec(input({ runtime: 'claude' }, null));
    expect(s.argv).not.toContain('--append-system-prompt-file');
    expect(s.files.map((f) => f.path)).not.toContain(FILE);
    expect(s.contract).toBeNull();
  });
});
