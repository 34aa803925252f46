import { describe, expect, it } from 'vitest';
import type { PsRow } from './ps.js';
import { hostViews, type RegisterRecords } from './hosts.js';

const row = (name: string, host: string): PsRow =>
  ({
    name,
    host,
    session: 'alive',
    readiness: 'available',
    last_output_age_s: 2,
    heartbeat_age_s: 1,
  }) as PsRow;

const at = (s: number) => new Date(Date.parse('2026-12-02T12:00:00Z') + s * 1000).toISOString();

describe('hosts from the register (docs/architecture.md "The register")', () => {
  const reg: RegisterRecords = {
    now: at(30),
    hosts: [
      { host: 'a', pid: 1, version: '1', tick_ms: 5000, started_at: at(0), last_seen_at: at(26) },
      { host: 'b', pid: 2, version: '1', tick_ms: 5000, started_at: at(0), last_seen_at: at(14) },
    ],
    agents: [
      { host: 'a', name: 'w0', class: 'worker', row: row('w0', 'a'), written_at: at(20) },
      { host: 'b', name: 'w1', class: 'worker', row: row('w1', 'b'), written_at: at(10) },
      { host: 'c', name: 'w2', class: 'worker', row: row('w2', 'c'), written_at: at(0) },
    ],
  };

  it('a host is unreachable once its row is older than three ticks; its agents keep their last state', () => {
    const v = hostViews(reg, 'a');
    expect(v.map((h) => [h.host, h.here, h.reachable, h.age_s])).toEqual([
      ['a', true, true, 4],
      ['b', false, false, 16],
      ['c', false, false, null],
    ]);
    expect(v[1]!.agents[0]).toMatchObject({ name: 'w1', session: 'alive', class: 'worker' });
  });

  it('ages grow by the time since the row was written', () => {
    const [a] = hostViews(reg, 'a');
    expect(a!.agents[0]).toMatchObject({ last_output_age_s: 12, heartbeat_age_s: 11 });
  });
});
