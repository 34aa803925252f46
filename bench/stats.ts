/** Small helpers shared by the benchmarks. */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../lib/store/db.js';

/** A migrated, empty embedded store in `dbDir` (what fleetd opens), made in a scratch dir. */
export async function freshStore(dbDir: string): Promise<void> {
  const template = mkdtempSync(path.join(os.tmpdir(), 'mf-bench-db-'));
  try {
    const store = await openStore({ dataDir: path.join(template, 'db') });
    await store.migrate();
    await store.close();
    cpSync(path.join(template, 'db'), dbDir, { recursive: true });
  } finally {
    rmSync(template, { recursive: true, force: true });
  }
}

export function percentile(samples: readonly number[], p: number): number {
  if (!samples.length) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export const ms = (n: number) => `${n.toFixed(1)} ms`;

export function ratio(x: number, baseline: number): string {
  // a baseline of zero (a tmux server idle to the precision of ps) has no ratio to give
  return baseline > 0 ? `${(x / baseline).toFixed(2)}×` : 'n/a (a zero baseline)';
}

export async function timeIt(fn: () => Promise<unknown>, runs: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
}
