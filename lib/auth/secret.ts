import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../fsutil.js';
import type { FleetHome } from '../home.js';

/** run/web-auth.secret: signs the panel's session cookies; kept across restarts so sessions survive. */
export const authSecretFile = (home: FleetHome): string =>
  path.join(home.runDir, 'web-auth.secret');

/** The secret from BETTER_AUTH_SECRET, or the one in FLEET_HOME (made on first use, mode 0600). */
export function loadAuthSecret(home: FleetHome, env: NodeJS.ProcessEnv): string {
  const fromEnv = env.BETTER_AUTH_SECRET?.trim();
  if (fromEnv) return fromEnv;
  const file = authSecretFile(home);
  if (existsSync(file)) {
    const s = readFileSync(file, 'utf8').trim();
    if (s.length >= 32) return s;
  }
  const s = randomBytes(32).toString('hex');
  writeFileAtomic(file, s + '\n', 0o600);
  return s;
}
