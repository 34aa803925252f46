import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fleetArgv } from './build-deps.js';

describe('fleetArgv: how agents, hooks and units call this fleet CLI again', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'mf-argv-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const dist = path.join(root, 'dist');
  mkdirSync(dist);

  it('is the script this process runs, with this node', () => {
    expect(fleetArgv({}, path.join(dist, 'fleet.cjs'))).toEqual([
      process.execPath,
      path.join(dist, 'fleet.cjs'),
    ]);
    expect(fleetArgv({}, '/somewhere/tool.js')).toEqual([process.execPath, '/somewhere/tool.js']);
  });

  it('a fleet started as dist/fleet.mjs hands out dist/fleet.cjs beside it, when it is there', () => {
    const mjs = path.join(dist, 'fleet.mjs');
    expect(fleetArgv({}, mjs)).toEqual([process.execPath, mjs]);
    writeFileSync(path.join(dist, 'fleet.cjs'), '');
    expect(fleetArgv({}, mjs)).toEqual([process.execPath, path.join(dist, 'fleet.cjs')]);
  });

  it('FLEET_CLI_PATH wins; a script that is not built JavaScript (under tsx) gives none', () => {
    expect(fleetArgv({ FLEET_CLI_PATH: '/opt/f/dist/fleet.mjs' }, '/x/y.cjs')).toEqual([
      process.execPath,
      '/opt/f/dist/fleet.mjs',
    ]);
    expect(fleetArgv({}, '/work/cli/main.ts')).toBeUndefined();
  });
});
