import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fleetHome } from './home.js';
import { seedHome } from './seed.js';

describe('seedHome', () => {
  it('reseeding twice never touches roster, agents, run, db or overrides', () => {
    const home = fleetHome(mkdtempSync(path.join(os.tmpdir(), 'mf-seed-')));
    seedHome(home);
    const mine: Record<string, string> = {
      [home.roster]: '# mine\nversion: 2\nagents: []\n',
      [home.agentEnv('x')]: 'A="1"\n',
      [home.heartbeat('x')]: '{"ts":1}',
      [path.join(home.rolesDir, 'code.md')]: 'my role',
      [path.join(home.profilesDir, 'mine.yaml')]: 'id: mine',
    };
    for (const [f, t] of Object.entries(mine)) writeFileSync(f, t);
    writeFileSync(path.join(home.frameworkDir, 'presets', 'stale.yaml'), 'old');
    seedHome(home);
    seedHome(home);
    for (const [f, t] of Object.entries(mine)) expect(readFileSync(f, 'utf8'), f).toBe(t);
    expect(existsSync(path.join(home.frameworkDir, 'presets', 'demo.yaml'))).toBe(true);
    expect(existsSync(path.join(home.frameworkDir, 'presets', 'stale.yaml'))).toBe(false);
  });
});
