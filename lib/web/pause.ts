/**
 * PAUSE as the panel sets and shows it: the store flag (every host sees it) and run/PAUSED
 * (lib/pause.ts; this host's supervisor and `fleet status` see it even without the store), as
 * `fleet pause` does — DESIGN.md invariant 9. A run/PAUSED placed by hand counts as paused too.
 */
import type { FleetHome } from '../home.js';
import { clearPauseFile, readPauseFile, writePauseFile } from '../pause.js';
import type { FlagStore } from '../store/flags.js';
import type { PauseState } from '../store/registry-contract.js';
import type { PauseOps } from './services.js';

export function pauseOps(flags: Pick<FlagStore, 'pause' | 'setPause'>, home: FleetHome): PauseOps {
  return {
    async get(): Promise<PauseState> {
      const s = await flags.pause();
      if (s.paused) return s;
      const f = readPauseFile(home);
      return f ? { ...s, paused: true, since: f.since, by: f.by, reason: f.reason } : s;
    },
    async set(paused, by, reason) {
      const s = await flags.setPause({ paused, by, ...(reason ? { reason } : {}) });
      if (paused)
        writePauseFile(home, { since: s.since ?? new Date().toISOString(), by, reason: s.reason });
      else clearPauseFile(home);
      return s;
    },
  };
}
