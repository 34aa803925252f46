/**
 * The register (docs/architecture.md "The register"): two fleetds with their own homes, tmux
 * servers and host names on one real PostgreSQL each write their host row and their agents' ps
 * rows; `fleet ps --all-hosts` on either shows both, and a host whose fleetd stopped is shown
 * unreachable with its agents' last known state, not as dead.
 */
import { describe, expect, it } from 'vitest';
import type { HostView } from '@/lib/fleet/hosts.js';
import { FLOOR, hostsOnOneDatabase } from './support/supervised.js';
import { until } from './support/tmux-fleet.js';

const { harnesses, databaseUrl } = hostsOnOneDatabase();

describe('the register: every host sees every host', () => {
  it('fleet ps --all-hosts shows both hosts grouped; a stopped fleetd is unreachable within three ticks, its agents as last seen', async () => {
    const ha = await harnesses.start([...FLOOR, { name: 'wa', class: 'worker' }], {
      databaseUrl: databaseUrl(),
      host: 'ha',
    });
    const hb = await harnesses.start([...FLOOR, { name: 'wb', class: 'worker' }], {
      databaseUrl: databaseUrl(),
      host: 'hb',
    });
    const view = async () => {
      const r = await ha.fleet.run(['ps', '--all-hosts', '--json']);
      expect(r.stderr).toBe('');
      return (JSON.parse(r.stdout) as { host: string; hosts: HostView[] }).hosts;
    };
    const alive = (h: HostView | undefined, name: string) =>
      h?.agents.find((a) => a.name === name)?.session === 'alive';
    const both = await until(async () => {
      const hosts = await view();
      const [a, b] = [hosts.find((h) => h.host === 'ha'), hosts.find((h) => h.host === 'hb')];
      return alive(a, 'wa') && alive(b, 'wb') && a!.reachable && b!.reachable ? hosts : null;
    }, 'both hosts with their agents');
    expect(both.map((h) => [h.host, h.here])).toEqual([
      ['ha', true],
      ['hb', false],
    ]);
    expect(both[1]!.agents.map((a) => [a.name, a.class, a.host]).sort()).toEqual([
      ['enh', 'enhancer', 'hb'],
      ['orch', 'orchestrator', 'hb'],
      ['wb', 'worker', 'hb'],
    ]);
    // the same from the other host, as text grouped by host
    const text = await hb.fleet.run(['ps', '--all-hosts']);
    expect(text.stdout).toMatch(/^host ha · seen \S+ ago · fleetd \d+ \S+$/m);
    expect(text.stdout).toMatch(/^host hb \(this host\) · seen /m);
    expect(text.stdout).toMatch(/^wb\s+stub\s+/m);

    await hb.fleetd.stop();
    const gone = await until(async () => {
      const b = (await view()).find((h) => h.host === 'hb');
      return b && !b.reachable ? b : null;
    }, 'hb unreachable');
    expect(alive(gone, 'wb')).toBe(true);
    const after = await ha.fleet.run(['ps', '--all-hosts']);
    expect(after.stdout).toMatch(
      /^host hb · seen \S+ ago · fleetd \d+ \S+ · UNREACHABLE: last known state below$/m,
    );
  });
});
