/**
 * Every host of the fleet from the register (docs/architecture.md "The register"): a host row
 * older than three of its ticks is unreachable, and its agents are shown with their last known
 * state, not as dead. Pure: the store's records and clock in, views out.
 */
import type { PsRow } from './ps.js';

export interface RegisterRecords {
  now: string;
  hosts: readonly {
    host: string;
    panel_url?: string | null;
    pid: number;
    version: string;
    tick_ms: number;
    started_at: string;
    last_seen_at: string;
  }[];
  agents: readonly { host: string; name: string; class: string; row: PsRow; written_at: string }[];
}

export interface HostView {
  host: string;
  /** the fleetd that answered is this host */
  here: boolean;
  /** the host's own panel, where its terminals are watched */
  panel_url: string | null;
  pid: number | null;
  version: string | null;
  last_seen_at: string | null;
  /** seconds since the host's fleetd last wrote its row */
  age_s: number | null;
  /** its row is at most three ticks old */
  reachable: boolean;
  agents: (PsRow & { class: string })[];
}

/** Never call a host gone sooner than this, however short its tick. */
const MIN_UNREACHABLE_MS = 3_000;

const later = (age: number | null, by: number): number | null =>
  age === null ? null : Math.round(age + by);

export function hostViews(reg: RegisterRecords, here: string): HostView[] {
  const now = Date.parse(reg.now);
  const names = [...new Set([...reg.hosts.map((h) => h.host), ...reg.agents.map((a) => a.host)])];
  return names.sort().map((name) => {
    const h = reg.hosts.find((x) => x.host === name);
    const ageMs = h ? Math.max(0, now - Date.parse(h.last_seen_at)) : null;
    const reachable = h !== undefined && ageMs! <= Math.max(3 * h.tick_ms, MIN_UNREACHABLE_MS);
    return {
      host: name,
      here: name === here,
      panel_url: h?.panel_url ?? null,
      pid: h?.pid ?? null,
      version: h?.version ?? null,
      last_seen_at: h?.last_seen_at ?? null,
      age_s: ageMs === null ? null : Math.round(ageMs / 1000),
      reachable,
      agents: reg.agents
        .filter((a) => a.host === name)
        .map((a) => {
          const since = Math.max(0, (now - Date.parse(a.written_at)) / 1000);
          return {
            ...a.row,
            class: a.class,
            last_output_age_s: later(a.row.last_output_age_s, since),
            heartbeat_age_s: later(a.row.heartbeat_age_s, since),
          };
        }),
    };
  });
}
