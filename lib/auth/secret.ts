import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from '../fsutil.js';
import type { FleetHome } from '../home.js';

/** The secret from BETTER_AUTH_SECRET, or the one in FLEET_HOME (made on first use, mode 0600). */
export function loadAuthSecret(home: FleetHome, env: NodeJS.ProcessEnv): string {
  const fromEnv = env.BETTER_AUTH_SECRET?.trim();
  if (fromEnv) return fromEnv;
  // run/web-auth.secret: signs the session cookies; kept across restarts so sessions survive
  const file = home.authSecret;
  if (existsSync(file)) {
    const s = readFileSync(file, 'utf8').trim();
    if (s.length >= 32) return s;
  }
  const s = randomBytes(32).toString('hex');
  writeFileAtomic(file, s + '\n', 0o600);
  return s;
}
