import { cpSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { frameworkDir } from './framework.js';
import { mkdirPrivate } from './fsutil.js';
import type { FleetHome } from './home.js';

const OVERRIDE_README = (kind: string) =>
  `Your own ${kind} go here. A file with the same name as a shipped one replaces it;\n` +
  `a new file adds one. Upgrades (fleet init, fleet seed) never touch this folder.\n`;

/**
 * Seed FLEET_HOME from the shipped framework/. Only FLEET_HOME/framework is replaced; roster.yaml,
 * agents/, run/, db/ and the user's roles/ and profiles/ overrides are never touched.
 */
export function seedHome(home: FleetHome, source = frameworkDir()): void {
  for (const dir of [home.root, home.agentsDir, home.runDir, home.rolesDir, home.profilesDir]) {
    mkdirPrivate(dir);
  }
  const staging = `${home.frameworkDir}.new-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  cpSync(source, staging, {
    recursive: true,
    filter: (src) => !src.includes(`${path.sep}node_modules`),
  });
  rmSync(home.frameworkDir, { recursive: true, force: true });
  cpSync(staging, home.frameworkDir, { recursive: true });
  rmSync(staging, { recursive: true, force: true });
  for (const [dir, kind] of [
    [home.rolesDir, 'roles (<class>.md)'],
    [home.profilesDir, 'system-type profiles (<id>.yaml)'],
  ] as const) {
    const readme = path.join(dir, 'README.md');
    if (!existsSync(readme)) writeFileSync(readme, OVERRIDE_README(kind));
  }
}
