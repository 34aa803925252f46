/**
 * fleetd plans NORTH_STAR.yaml by itself: each tick compares the file with the one it last
 * planned, and a saved change becomes cards within that tick (lib/ops/plan.ts, idempotent). An
 * invalid file changes nothing; its error is kept for `fleet ps`, `fleet supervisor status` and
 * the panel, and logged once per version of the file.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseNorthStar } from '@/lib/northstar/load.js';
import { applyNorthStar, planLine, type PlanSummary, type PlanTarget } from '@/lib/ops/plan.js';

export class NorthStarWatch {
  /** the version of the file last planned, or last found invalid */
  private seen: string | null = null;
  error: string | null = null;
  /** the orchestrator has been told of the current error */
  private told = false;

  constructor(
    private readonly file: string,
    private readonly target: PlanTarget,
    private readonly log: (line: string) => void,
  ) {}

  /** The current error, once: for the orchestrator, who owns the goals. */
  untold(): string | null {
    return this.error && !this.told ? this.error : null;
  }

  markTold(): void {
    this.told = true;
  }

  /** Plan the file if it changed since the last look; null when there was nothing to do. */
  async check(): Promise<PlanSummary | null> {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      this.seen = null;
      this.error = null;
      return null;
    }
    const version = createHash('sha256').update(text).digest('hex');
    if (version === this.seen) return null;
    let ns;
    try {
      ns = parseNorthStar(text, this.file);
    } catch (e) {
      this.seen = version;
      this.error = (e as Error).message;
      this.told = false;
      this.log(`supervisor: NORTH_STAR.yaml not planned: ${this.error}`);
      return null;
    }
    // a store error leaves `seen` as it was: the next tick tries again
    const r = await applyNorthStar(this.target, ns);
    this.seen = version;
    this.error = null;
    if (r.created + r.updated + r.linked + r.unlinked > 0) this.log(`supervisor: ${planLine(r)}`);
    const { ops: _ops, ...summary } = r;
    return summary;
  }
}
