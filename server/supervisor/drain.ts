import {
  drainStep,
  type DrainAgentState,
  type DrainFacts,
  type DrainStep,
  type DrainView,
} from '@/lib/supervisor/drain.js';
import type { PauseView } from '@/lib/store/registry-contract.js';

/** A card just typed needs this long to show on the agent's screen before its idle counts. */
export const DRAIN_SETTLE_MS = 5_000;

/**
 * What one fleetd's drain remembers between looks (in memory: a fleetd restarted mid-drain
 * starts looking again, and the store flag keeps the fleet drained meanwhile).
 */
export class DrainState {
  private since: string | null = null;
  private idle = new Set<string>();
  private working: DrainAgentState[] = [];
  private done: DrainView['checkpointed'] = [];
  private checkedAt: string | null = null;
  private quiet = false;

  /** Not draining (any more): forget the last drain. */
  reset(pause: PauseView): void {
    if (!(pause.paused && pause.drain)) this.forget();
  }

  private forget(): void {
    this.since = null;
    this.idle = new Set();
    this.working = [];
    this.done = [];
    this.checkedAt = null;
    this.quiet = false;
  }

  look(pause: PauseView, f: Omit<DrainFacts, 'idleBefore'>): DrainStep {
    // a new drain (another `since`) starts from nothing
    if (this.since !== pause.since) {
      this.forget();
      this.since = pause.since;
    }
    const step = drainStep({ ...f, idleBefore: this.idle });
    const at = new Date(f.nowMs).toISOString();
    const before = new Map(this.working.map((w) => [`${w.agent}/${w.state}/${w.card}`, w.since]));
    this.working = step.working.map((w) => ({
      ...w,
      since: before.get(`${w.agent}/${w.state}/${w.card}`) ?? at,
    }));
    this.idle = step.idleNow;
    this.checkedAt = at;
    this.quiet = step.quiet;
    return step;
  }

  checkpointed(c: { card: string; agent: string; note: string }, nowMs: number): void {
    this.done.push({ ...c, at: new Date(nowMs).toISOString() });
  }

  /** After the look's checkpoints: a card that could not be put back is still held. */
  settle(failed: readonly { card: string; agent: string }[], nowMs: number): void {
    const at = new Date(nowMs).toISOString();
    for (const f of failed)
      this.working.push({ agent: f.agent, state: 'holding', card: f.card, since: at });
    this.quiet = this.working.length === 0;
  }

  view(pause: PauseView): DrainView {
    const draining = pause.paused && pause.drain;
    const current = draining && this.since === pause.since;
    return {
      draining,
      since: draining ? pause.since : null,
      by: draining ? pause.by : null,
      quiet: current && this.checkedAt !== null && this.quiet,
      checked_at: current ? this.checkedAt : null,
      working: current ? this.working : [],
      checkpointed: current ? this.done : [],
    };
  }
}
