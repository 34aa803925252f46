/**
 * The supervisor's attention pass (docs/attention.md): gather what the rules need — the ps rows,
 * what the screens of agents that wait (or sit idle on a card) show, PAUSE, the backlog's
 * blocked and failed-check cards, long takeovers, the roster and NORTH_STAR problems — derive
 * the items (lib/attention/rules.ts) and make the store match them. It also remembers which
 * agents are rate-limited, so dispatch passes them by and they are resumed at their reset time.
 */
import { REVIEWER_CLASS } from '@/lib/supervisor/dispatch.js';
import type { FleetDeps } from '@/lib/fleet/deps.js';
import type { PsRow } from '@/lib/fleet/ps.js';
import { adapterFor } from '@/lib/launch/adapter.js';
import { isGone } from '@/lib/fleet/observe.js';
import { readAttention } from '@/lib/attention/screen.js';
import { hookNeed } from '@/lib/attention/hook-need.js';
import { readHookStatus } from '@/lib/run/heartbeat.js';
import {
  deriveAttention,
  TAKEOVER_HELD_SECONDS,
  type ScreenNeed,
  type TakeoverFact,
} from '@/lib/attention/rules.js';
import type { AttentionItem } from '@/lib/attention/types.js';
import { isLocal, rosterAgents } from '@/lib/ops/lifecycle.js';
import { readTakeover } from '@/lib/run/takeover.js';
import type { AttentionStore, SyncResult } from '@/lib/store/attention.js';
import type { CardsOfNote } from './note-cards.js';
import type { CardView } from '@/lib/store/contract.js';
import type { PauseView } from '@/lib/store/registry-contract.js';
import { escapeControls } from '@/lib/control-chars.js';

export interface AttentionPassInput {
  /** null when the roster does not load */
  deps: FleetDeps | null;
  rows: ReadonlyMap<string, PsRow>;
  pause: PauseView;
  rosterError: string | null;
  northstarError: string | null;
  escalated: ReadonlySet<string>;
  /** claimed cards (all hosts); this host's holders are read from their owner */
  claimed: readonly CardView[];
  /** agents of this host holding a claimed card */
  holding: ReadonlySet<string>;
}

interface Limit {
  resetAt: number | null;
  evidence: string;
  /** when fleetd last told it to go on */
  resumedAt: number | null;
}

/** After a reset time, wait this long, then resume one agent every `RESUME_STAGGER_MS`. */
const RESUME_GRACE_MS = 5_000;
const RESUME_STAGGER_MS = 20_000;
/** a resume that did not take is tried again after this long */
const RESUME_RETRY_MS = 60_000;

function tailEvidence(lines: readonly string[], n = 8): string {
  let end = lines.length;
  while (end > 0 && lines[end - 1]!.trim() === '') end--;
  return lines
    .slice(Math.max(0, end - n), end)
    .map((l) => escapeControls(l.trimEnd()))
    .join('\n');
}

export class AttentionPass {
  private readonly limits = new Map<string, Limit>();
  /** agent → the evidence of the screen an operator answered; that same screen is not raised again */
  private readonly answered = new Map<string, string>();
  last: SyncResult | null = null;

  constructor(
    private readonly o: {
      store: AttentionStore;
      /** blocked, in review, ready after a failure: shared with the tick's escalation */
      cardsOfNote: Pick<CardsOfNote, 'get'>;
      log(line: string): void;
      /** new and cleared items, after each sync (notifications) */
      onSync?(r: SyncResult): void;
      takeoverHeldSeconds?: number;
    },
  ) {}

  /** Agents showing a usage limit: dispatch passes them by until they are resumed. */
  rateLimited(): ReadonlySet<string> {
    return new Set(this.limits.keys());
  }

  /** An operator answered this item: do not raise the same screen again. */
  markAnswered(item: AttentionItem): void {
    if (item.agent) this.answered.set(item.agent, item.evidence);
  }

  /**
   * Rate-limited agents whose reset time (plus a grace) has come, one every stagger, so a
   * fleet that hit its limit together does not come back all at once.
   */
  dueResumes(nowMs: number): string[] {
    const timed = [...this.limits.entries()]
      .filter(([, l]) => l.resetAt !== null)
      .sort((a, b) => a[1].resetAt! - b[1].resetAt!);
    const due: string[] = [];
    timed.forEach(([name, l], i) => {
      const at = l.resetAt! + RESUME_GRACE_MS + i * RESUME_STAGGER_MS;
      const retryOk = l.resumedAt === null || nowMs - l.resumedAt >= RESUME_RETRY_MS;
      if (nowMs >= at && retryOk) due.push(name);
    });
    return due;
  }

  resumed(name: string, nowMs: number): void {
    const l = this.limits.get(name);
    if (l) {
      l.resumedAt = nowMs;
      this.answered.set(name, l.evidence);
    }
  }

  private async screens(i: AttentionPassInput): Promise<Map<string, ScreenNeed>> {
    const out = new Map<string, ScreenNeed>();
    const deps = i.deps;
    if (!deps) return out;
    const agents = rosterAgents(deps).filter((a) => isLocal(deps, a));
    const seen = new Set<string>();
    for (const a of agents) {
      const row = i.rows.get(a.name);
      if (!row || row.session !== 'alive') continue;
      const waiting = row.readiness === 'waiting';
      const stalled =
        row.readiness === 'available' && (i.holding.has(a.name) || this.limits.has(a.name));
      if (!waiting && !stalled) continue;
      let lines: string[];
      try {
        lines = (await deps.tmux.view(a.name)).lines;
      } catch (e) {
        if (!isGone(e))
          this.o.log(`attention: reading ${a.name}'s screen: ${(e as Error).message}`);
        continue;
      }
      seen.add(a.name);
      const adapter = adapterFor(a);
      const read = readAttention(lines, adapter, deps.now());
      let need: ScreenNeed | null = null;
      // a screen no pattern knows: the runtime's own report (Claude Code's Notification hook
      // says what it asks), else the last lines as a question
      if (waiting)
        need = read ??
          hookNeed(readHookStatus(deps.home, a.name), adapter.title) ?? {
            reason: 'question',
            evidence: tailEvidence(lines),
            resetAt: null,
          };
      else if (read && (read.reason === 'rate_limited' || read.reason === 'auth_failed'))
        need = read;
      if (need && this.answered.get(a.name) === need.evidence) need = null;
      if (!need) this.answered.delete(a.name);
      if (need?.reason === 'rate_limited') {
        const l = this.limits.get(a.name);
        this.limits.set(a.name, {
          resetAt: need.resetAt,
          evidence: need.evidence,
          resumedAt: l?.evidence === need.evidence ? l.resumedAt : null,
        });
      } else this.limits.delete(a.name);
      if (need) out.set(a.name, need);
    }
    // an agent that works again, or is gone, is no longer limited
    for (const name of [...this.limits.keys()]) if (!seen.has(name)) this.limits.delete(name);
    return out;
  }

  private takeovers(i: AttentionPassInput): Map<string, TakeoverFact> {
    const out = new Map<string, TakeoverFact>();
    if (!i.deps) return out;
    for (const row of i.rows.values()) {
      if (!row.takeover) continue;
      const t = readTakeover(i.deps.home, row.name, i.deps.host);
      if (t) out.set(row.name, { who: t.who, since: t.since });
    }
    return out;
  }

  /** the facts of the last sync: the same facts again need no store round trip */
  private lastFacts = '';

  private async cards(i: AttentionPassInput): Promise<CardView[]> {
    return [...(await this.o.cardsOfNote.get()), ...i.claimed.filter((x) => x.last_error)];
  }

  async run(i: AttentionPassInput): Promise<SyncResult> {
    const cards = await this.cards(i);
    const facts = deriveAttention({
      rows: [...i.rows.values()],
      screens: await this.screens(i),
      pause: i.pause,
      cards,
      reviewerInFleet: i.deps
        ? rosterAgents(i.deps).some((a) => a.class === REVIEWER_CLASS && a.enabled)
        : false,
      escalated: i.escalated,
      takeovers: this.takeovers(i),
      rosterError: i.rosterError,
      northstarError: i.northstarError,
      nowMs: i.deps?.now() ?? Date.now(),
      takeoverHeldSeconds: this.o.takeoverHeldSeconds ?? TAKEOVER_HELD_SECONDS,
    });
    const key = JSON.stringify(facts);
    if (key === this.lastFacts && this.last)
      return { raised: [], cleared: [], open: this.last.open };
    const r = await this.o.store.sync(facts);
    this.lastFacts = key;
    for (const it of r.raised)
      this.o.log(
        `attention: raised ${it.id} ${it.reason}${it.agent ? ` ${it.agent}` : ''}${it.card ? ` ${it.card}` : ''}: ${it.title}`,
      );
    for (const it of r.cleared) this.o.log(`attention: cleared ${it.id} ${it.reason}`);
    this.last = r;
    if (r.raised.length || r.cleared.length) this.o.onSync?.(r);
    return r;
  }
}
