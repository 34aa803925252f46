import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import { fleetHome } from '../lib/home.js';
import { listRuntimes, runtimeRegistry } from '../lib/runtimes/registry.js';
import type { RuntimeAdapter } from '../lib/runtimes/types.js';
import type { CliContext } from './context.js';
import { registerHookCommands } from './hook.js';

// `fleet hook <id>` exists for every registered runtime with native reports, read by its
// adapter alone: this one is defined here and registered nowhere else.
const toy: RuntimeAdapter = {
  ...listRuntimes().find((a) => !a.native)!,
  id: 'toy',
  title: 'Toy agent',
  nativeState: 'notify',
  native: {
    wire: () => ({}),
    hook: {
      argument: '<state>',
      help: 'busy | boom',
      payloadOnStdin: false,
      read: (arg) => {
        if (arg === 'boom') throw new Error('toy parser broke');
        return { status: arg === 'busy' ? 'busy' : null, event: `toy-${arg}` };
      },
    },
  },
};

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function run(args: string[], env: NodeJS.ProcessEnv) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fleet-hook-'));
  dirs.push(dir);
  const home = fleetHome(dir);
  mkdirSync(home.runDir, { recursive: true });
  const errors: string[] = [];
  const ctx: CliContext = {
    home,
    env,
    out: () => {},
    err: (l) => errors.push(l),
    interactive: false,
  };
  const program = new Command('fleet').exitOverride();
  registerHookCommands(program, ctx, runtimeRegistry([...listRuntimes(), toy]));
  await program.parseAsync(args, { from: 'user' });
  const status = () => readFileSync(path.join(home.runDir, 'a.status'), 'utf8');
  return { errors, status };
}

describe('fleet hook <runtime>', () => {
  it("records a registered runtime's report as its adapter reads it", async () => {
    const r = await run(['hook', 'toy', 'busy'], {
      MOSAIC_AGENT_NAME: 'a',
      MOSAIC_AGENT_EPOCH: '5',
    });
    expect(r.status()).toMatch(/^ts=\S+ pid=0 status=busy epoch=5 src=hook event=toy-busy\n$/);
    expect(r.errors).toEqual([]);
  });

  it('writes nothing for a call that is not a state change, and survives a broken reader', async () => {
    const quiet = await run(['hook', 'toy', 'hello'], { MOSAIC_AGENT_NAME: 'a' });
    expect(quiet.status).toThrow(/ENOENT/);
    const broken = await run(['hook', 'toy', 'boom'], { MOSAIC_AGENT_NAME: 'a' });
    expect(broken.errors).toEqual(['fleet hook: toy parser broke']);
    expect(broken.status).toThrow(/ENOENT/);
  });
});
