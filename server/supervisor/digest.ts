/**
 * The enhancer loop: every `defaults.enhancer_digest_seconds` the enhancer is told what happened
 * since the last digest (lib/supervisor/digest.ts), when it is free to read it, and answers by
 * filing improvement cards. A quiet period sends nothing.
 */
import { tellAgent } from './tell.js';
import type { FleetDeps } from '@/lib/fleet/deps.js';
import type { PsRow } from '@/lib/fleet/ps.js';
import type { RecoveryHalt } from '@/lib/ops/pause.js';
import { rosterAgents } from '@/lib/ops/lifecycle.js';
import { ENHANCER } from '@/lib/roster/rules.js';
import type { BacklogService } from '@/lib/store/backlog.js';
import { composeDigest } from '@/lib/supervisor/digest.js';

const DIGEST_SECONDS = 1800;

const restartCounts = (rows: ReadonlyMap<string, PsRow>) =>
  new Map([...rows.values()].map((r) => [r.name, r.restarts]));

export class DigestLoop {
  /** the period's start, the last event seen, restarts then, escalations since */
  private readonly st: {
    at: number;
    afterSeq: number | null;
    restarts: Map<string, number>;
    escalated: string[];
  } = { at: -Infinity, afterSeq: null, restarts: new Map(), escalated: [] };

  private readonly waitingSince = new Map<string, string>();

  constructor(
    private readonly backlog: BacklogService,
    private readonly halt: RecoveryHalt,
  ) {}

  /** One tick's turn: true when a digest was sent. */
  async tick(
    deps: FleetDeps,
    rows: ReadonlyMap<string, PsRow>,
    escalated: readonly string[],
    delivering: ReadonlyMap<string, unknown>,
  ): Promise<boolean> {
    const st = this.st;
    st.escalated.push(...escalated);
    // how long each agent has waited for a human, as seen tick by tick
    for (const [name, r] of rows) {
      if (r.readiness !== 'waiting') this.waitingSince.delete(name);
      else if (!this.waitingSince.has(name))
        this.waitingSince.set(name, new Date(deps.now()).toISOString());
    }
    const now = deps.now();
    const backlog = this.backlog;
    if (st.afterSeq === null) {
      // the first period starts now: history before this fleetd is not news
      let seq = 0;
      for (;;) {
        const page = await backlog.events({ after_seq: seq, limit: 1000 });
        if (!page.length) break;
        seq = page[page.length - 1]!.seq;
      }
      Object.assign(st, { at: now, afterSeq: seq, restarts: restartCounts(rows) });
      return false;
    }
    const seconds = deps.loaded.roster.defaults.enhancer_digest_seconds ?? DIGEST_SECONDS;
    if (now - st.at < seconds * 1000) return false;
    const enhancer = rosterAgents(deps).find((a) => a.class === ENHANCER);
    const row = enhancer && rows.get(enhancer.name);
    if (!enhancer || delivering.has(enhancer.name)) return false;
    if (row?.readiness !== 'available' || row.takeover) return false;
    const events = await backlog.events({ after_seq: st.afterSeq, limit: 5000 });
    const text = composeDigest({
      since: new Date(st.at).toISOString(),
      until: new Date(now).toISOString(),
      events,
      rows: [...rows.values()],
      restartsBefore: st.restarts,
      halted: this.halt.reason,
      escalated: st.escalated,
      claimed: await backlog.list({ status: 'claimed' }),
      waitingSince: this.waitingSince,
    });
    const next = {
      at: now,
      afterSeq: events.length ? events[events.length - 1]!.seq : st.afterSeq,
      restarts: restartCounts(rows),
      escalated: [],
    };
    if (!text) {
      Object.assign(st, next);
      return false;
    }
    const r = await tellAgent(deps, enhancer, text);
    if (r.verdict !== 'submitted') return false;
    Object.assign(st, next);
    return true;
  }
}
