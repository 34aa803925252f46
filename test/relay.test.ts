/**
 * The relay (docs/architecture.md "The relay"): three fleetds with their own homes, tmux servers
 * and host names on one real PostgreSQL. From any host, another host's agent is sent to,
 * restarted and terminated through the store; that host's fleetd does it with the same operation
 * a local caller uses and the caller gets its verdict. Bad addresses get one clear line.
 */
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HostView } from '@/lib/fleet/hosts.js';
import type { PsRow } from '@/lib/fleet/ps.js';
import type { SendReceipt } from '@/lib/send/deliver.js';
import { FLOOR, hostsOnOneDatabase, type Harness } from './support/supervised.js';
import { until } from './support/tmux-fleet.js';

const { harnesses, databaseUrl } = hostsOnOneDatabase();

/** Each harness's host name: its CLI runs with FLEET_HOST set as its fleetd's is. */
const hostOf = new Map<Harness, string>();
const run = (h: Harness, args: string[]) => h.fleet.run(args, { FLEET_HOST: hostOf.get(h) });

async function hosts(h: Harness): Promise<HostView[]> {
  const r = await run(h, ['ps', '--all-hosts', '--json']);
  return (JSON.parse(r.stdout) as { hosts: HostView[] }).hosts;
}

/** Every host shows every host's agents alive. */
async function allUp(from: Harness, want: Record<string, string[]>): Promise<HostView[]> {
  return until(
    async () => {
      const hs = await hosts(from);
      const ok = Object.entries(want).every(([host, names]) => {
        const h = hs.find((x) => x.host === host);
        return (
          h?.reachable &&
          names.every((n) => h.agents.find((a) => a.name === n)?.readiness === 'available')
        );
      });
      return ok ? hs : null;
    },
    `every host's agents from ${from.fleet.home}`,
    30_000,
  );
}

async function send(h: Harness, args: string[]) {
  const r = await run(h, ['agent', 'send', '--json', ...args]);
  return { code: r.code, stderr: r.stderr, r: JSON.parse(r.stdout || '{}') as SendReceipt };
}

describe('the relay: any host reaches any agent', () => {
  it('three hosts: ps --all-hosts everywhere; sends (hostile and 100 KB), restart and terminate across hosts; bad addresses', async () => {
    const opts = (host: string) => ({ databaseUrl: databaseUrl(), host });
    const ha = await harnesses.start([...FLOOR, { name: 'wa', class: 'worker' }], opts('ha'));
    const hb = await harnesses.start(
      [
        ...FLOOR,
        { name: 'wb', class: 'worker' },
        { name: 'dup', class: 'worker' },
        // hb's roster also names ha's worker, as a roster shared by hosts does
        { name: 'wa', class: 'worker', extra: 'host: ha' },
      ],
      opts('hb'),
    );
    const hc = await harnesses.start(
      [...FLOOR, { name: 'wc', class: 'worker' }, { name: 'dup', class: 'worker' }],
      opts('hc'),
    );
    hostOf.set(ha, 'ha').set(hb, 'hb').set(hc, 'hc');
    const want = {
      ha: ['orch', 'enh', 'wa'],
      hb: ['orch', 'enh', 'wb', 'dup'],
      hc: ['orch', 'enh', 'wc', 'dup'],
    };
    for (const h of [ha, hb, hc]) {
      const seen = await allUp(h, want);
      expect(seen.map((x) => x.host)).toEqual(['ha', 'hb', 'hc']);
    }

    // hb's `fleet ps` shows ha's worker from the register (not as a missing session), and a
    // send to it by its bare name goes to ha
    const psB = JSON.parse((await run(hb, ['ps', '--json'])).stdout) as { agents: PsRow[] };
    expect(psB.agents.find((a) => a.name === 'wa')).toMatchObject({ host: 'ha', session: 'alive' });
    expect((await run(hb, ['ps'])).stdout).toMatch(/^wa\s.*@ha\s*$/m);
    expect((await send(hb, ['wa', '--verify', '--', 'by its roster name'])).r).toMatchObject({
      host: 'ha',
      verdict: 'submitted',
    });

    // a send to another host's agent: typed by that host's fleetd, verified, answered here
    const hostile = ['$(touch pwned1)', '`touch pwned2`', 'C-c', '#{session_name} ;'];
    for (const t of hostile) {
      const { code, r } = await send(ha, ['hb:wb', '--verify', '--', t]);
      expect(r).toMatchObject({ agent: 'wb', host: 'hb', verdict: 'submitted' });
      expect(code).toBe(0);
    }
    // a control character is refused by the caller's fleetd, as a local send refuses it
    const esc = await run(ha, ['agent', 'send', 'hb:wb', '--', '\x1b[31mred']);
    expect(esc.stderr).toMatch(/control character U\+001B at offset 0/);
    expect(esc.code).toBe(2);
    // a bare name that only one other host has needs no host
    expect((await send(ha, ['wc', '--verify', '--', 'bare name'])).r).toMatchObject({
      host: 'hc',
      verdict: 'submitted',
    });
    const big = path.join(ha.fleet.home, 'big.txt');
    const bigText = Array.from({ length: 100 * 1024 }, (_, i) =>
      String.fromCharCode(33 + ((i * 7) % 94)),
    ).join('');
    writeFileSync(big, bigText);
    const bigSend = await send(hc, ['hb:wb', '--verify', '--verify-timeout', '60', '--file', big]);
    expect(bigSend.r.verdict).toBe('submitted');
    // the caller's label names the calling host; escape sequences arrive as the pane got them
    const fromOperators = (h: Harness) =>
      h.fleet
        .stubLog()
        .map((l) => l.text)
        .filter((t) => /^\[from h[abc]:operator\]/.test(t));
    const got = fromOperators(hb);
    expect(got).toEqual([
      ...hostile.map((t) => `[from ha:operator] ${t}`),
      `[from hc:operator] ${bigText}`,
    ]);
    expect(existsSync(path.join(hb.fleet.home, 'pwned1'))).toBe(false);

    // the same idempotency key twice: one message, the second call gets the first's verdict
    const once = ['hb:wb', '--verify', '--id', 'key-once-0001', '--', 'only once'];
    const [first, second] = [await send(ha, once), await send(ha, once)];
    expect(first.r.verdict).toBe('submitted');
    expect(second.r).toEqual(first.r);
    expect(hb.fleet.stubLog().filter((l) => l.text.endsWith('only once'))).toHaveLength(1);

    // restart on another host: a new epoch and a new pane there
    const before = hc.fleet.panePid('wc');
    const restarted = await run(hb, ['restart', 'hc:wc', '--json']);
    expect(restarted.stderr).toBe('');
    const rr = JSON.parse(restarted.stdout) as { restarted: { name: string; epoch: number }[] };
    expect(restarted.stdout).not.toMatch(/"failed":\[\{/);
    expect(rr.restarted).toEqual([{ name: 'hc:wc', epoch: expect.any(Number) }]);
    expect(hc.fleet.panePid('wc')).not.toBe(before);

    // terminate on another host: stopped there, and it stays down
    const down = await run(ha, ['down', 'hb:dup', '--json']);
    expect(JSON.parse(down.stdout)).toMatchObject({ stopped: ['hb:dup'] });
    expect(hb.fleet.tmux(['ls'])).not.toMatch(/^dup:/m);
    await new Promise((r) => setTimeout(r, 1000)); // three of hb's ticks: not started again
    expect(hb.fleet.tmux(['ls'])).not.toMatch(/^dup:/m);

    // bad addresses: one line each, exit codes as for a local agent, nothing sent
    const unknownHost = await run(ha, ['agent', 'send', 'hx:wa', 'hi']);
    expect(unknownHost.stderr).toMatch(/unknown host "hx" \(known: ha, hb, hc\)/);
    expect(unknownHost.code).not.toBe(0);
    const unknownAgent = await run(ha, ['agent', 'send', 'hb:nobody', 'hi']);
    expect(unknownAgent.stderr).toMatch(/unknown agent "hb:nobody" \(known: .*hb:wb/);
    const ambiguous = await run(ha, ['agent', 'send', 'dup', 'hi']);
    expect(ambiguous.stderr).toMatch(
      /agent "dup" is on hosts hb, hc: address it as hb:dup or hc:dup/,
    );
    expect(ambiguous.code).toBe(2);
    const bad = await run(ha, ['restart', 'hb:']);
    expect(bad.stderr).toMatch(/not an agent address/);
    // this host's own agent under its host name is a local send
    expect((await send(ha, ['ha:wa', '--verify', '--', 'local'])).r).toMatchObject({
      host: 'ha',
      verdict: 'submitted',
    });
    expect(fromOperators(hc).filter((t) => t.endsWith(' hi'))).toEqual([]);
  });
});
