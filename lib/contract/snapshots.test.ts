import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { frameworkDir } from '@/lib/framework.js';
import { fleetHome } from '@/lib/home.js';
import { buildRosterText, type InitSource } from '@/lib/init.js';
import { loadLibrary } from '@/lib/library/index.js';
import { listPresets } from '@/lib/library/presets.js';
import { loadNorthStar } from '@/lib/northstar/load.js';
import type { NorthStar } from '@/lib/northstar/schema.js';
import { composeContract } from './compose.js';
import { contractFleet } from './fleet.js';
import { NO_OVERLAYS } from './overlays.js';

/**
 * Every agent's contract for every shipped preset and system type, as files beside this test:
 * a change to a role, a preset, a profile or the composer shows up as a reviewable diff
 * (`npx vitest run --project unit lib/contract -u` rewrites them). The files are .txt so the
 * formatter leaves the contract's bytes alone.
 */
const library = loadLibrary(fleetHome(mkdtempSync(path.join(os.tmpdir(), 'mf-contract-'))));
const sample = loadNorthStar(path.join(frameworkDir(), 'northstar', 'NORTH_STAR.sample.yaml'));

function contractsOf(source: InitSource, northStar: NorthStar | null): string {
  const loaded = buildRosterText(() => library, `${source.id}.yaml`, {
    source,
    runtime: source.kind === 'system-type' ? 'stub' : undefined,
  });
  const fleet = contractFleet(loaded, 'host-a');
  return fleet.agents
    .map((a) => {
      const c = composeContract({
        agent: a.name,
        fleet,
        roles: library.roles,
        northStar,
        overlays: NO_OVERLAYS,
      });
      return `<!-- contract of ${a.name}: ${c.bytes} bytes -->\n${c.text}`;
    })
    .join('\n');
}

describe('contract snapshots', () => {
  // presets with the sample NORTH_STAR.yaml; system types without one (the mission-less wording)
  for (const preset of listPresets()) {
    it(`preset ${preset.id}`, async () => {
      await expect(contractsOf({ kind: 'preset', id: preset.id }, sample)).toMatchFileSnapshot(
        `__snapshots__/preset-${preset.id}.txt`,
      );
    });
  }
  for (const id of library.profiles.keys()) {
    it(`system type ${id}`, async () => {
      await expect(contractsOf({ kind: 'system-type', id }, null)).toMatchFileSnapshot(
        `__snapshots__/system-type-${id}.txt`,
      );
    });
  }
});
