/**
 * What a supervisor tick tells the panel's push channel (docs/api.md "Events"): `fleet` when the
 * ps rows it read differ from the last ones in anything but their ages (the register's rule,
 * lib/fleet/ps.ts psStableKey) or a roster or NORTH_STAR problem came or went, and at least once a
 * minute while ages moved; `pause` when the drain's progress changed; `hosts` when another host's
 * row or agents changed or it became (un)reachable.
 */
import type { ChangeHub } from '@/lib/changes/hub.js';
import { ChangeKeys } from '@/lib/changes/keys.js';
import { hostViews, type RegisterRecords } from '@/lib/fleet/hosts.js';
import { psStableKey, type PsRow } from '@/lib/fleet/ps.js';
import type { DrainView } from '@/lib/supervisor/drain.js';

/** As the register: a row is written again at least this often (lib/store/register.ts). */
const AGE_REFRESH_MS = 60_000;

export interface TickSeen {
  rows: ReadonlyMap<string, PsRow>;
  rosterError: string | null;
  northstarError: string | null;
  drain: DrainView | null;
  nowMs: number;
}

export class TickChanges {
  private readonly keys = new ChangeKeys();

  constructor(private readonly hub: ChangeHub) {}

  /** The ps rows as read: told as soon as the tick has them, and again at its end. */
  rows(s: Omit<TickSeen, 'drain'>): void {
    const rows = [...s.rows.values()].sort((a, b) => a.name.localeCompare(b.name));
    const key = JSON.stringify({
      rows: rows.map(psStableKey),
      roster: s.rosterError,
      northstar: s.northstarError,
    });
    const aged = JSON.stringify(rows.map((r) => [r.heartbeat_age_s, r.last_output_age_s]));
    if (this.keys.changed('fleet', key, s.nowMs, { ms: AGE_REFRESH_MS, aged }))
      this.hub.publish('fleet');
  }

  afterTick(s: TickSeen): void {
    this.rows(s);
    // when it last looked moves every tick; what it saw is the change
    const drain = s.drain && { ...s.drain, checked_at: null };
    if (this.keys.changed('drain', JSON.stringify(drain), s.nowMs)) this.hub.publish('pause');
  }

  /** The other hosts as the fleet page shows them, ages aside. */
  otherHosts(reg: RegisterRecords, here: string): void {
    const views = hostViews(reg, here)
      .filter((h) => !h.here)
      .map((h) => ({
        host: h.host,
        panel_url: h.panel_url,
        pid: h.pid,
        version: h.version,
        reachable: h.reachable,
        agents: h.agents.map((a) => psStableKey(a)),
      }));
    if (this.keys.changed('hosts', JSON.stringify(views), Date.parse(reg.now)))
      this.hub.publish('hosts');
  }
}
