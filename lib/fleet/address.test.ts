import { describe, expect, it } from 'vitest';
import { parseAddress, resolveTarget, type KnownHost } from './address.js';

const host = (name: string, agents: string[], reachable = true): KnownHost => ({
  host: name,
  reachable,
  age_s: reachable ? 1 : 40,
  agents: agents.map((a) => ({ name: a })),
});
const here = { host: 'ha', agents: ['orch', 'wa'] };
const hosts = [
  host('ha', ['orch', 'wa']),
  host('hb', ['orch', 'wb', 'dup']),
  host('hc', ['dup'], false),
];

describe('agent addresses across hosts', () => {
  it('parses <agent> and <host>:<agent>, and refuses an empty side', () => {
    expect(parseAddress('wa')).toEqual({ host: null, agent: 'wa' });
    expect(parseAddress('box.lan:wa')).toEqual({ host: 'box.lan', agent: 'wa' });
    expect(() => parseAddress('hb:')).toThrow(/not an agent address/);
    expect(() => parseAddress(':wa')).toThrow(/not an agent address/);
  });

  it("a bare name is this host's agent when it has one, even if another host has it too", () => {
    expect(resolveTarget('orch', here, hosts)).toEqual({ where: 'here', agent: 'orch' });
    expect(resolveTarget('ha:wa', here, hosts)).toEqual({ where: 'here', agent: 'wa' });
  });

  it('a bare name only one other host has goes there, with that host’s freshness', () => {
    expect(resolveTarget('wb', here, hosts)).toEqual({
      where: 'there',
      host: 'hb',
      agent: 'wb',
      reachable: true,
      age_s: 1,
    });
    expect(resolveTarget('hc:dup', here, hosts)).toMatchObject({ host: 'hc', reachable: false });
  });

  it('refuses a name on two other hosts, an unknown host and an unknown agent, naming what exists', () => {
    expect(() => resolveTarget('dup', here, hosts)).toThrow(
      'agent "dup" is on hosts hb, hc: address it as hb:dup or hc:dup',
    );
    expect(() => resolveTarget('hx:wa', here, hosts)).toThrow(
      'unknown host "hx" (known: ha, hb, hc)',
    );
    expect(() => resolveTarget('hb:nope', here, hosts)).toThrow(
      'unknown agent "hb:nope" (known: hb:orch, hb:wb, hb:dup)',
    );
    expect(() => resolveTarget('ha:nope', here, hosts)).toThrow('unknown agent "ha:nope"');
    expect(() => resolveTarget('nope', here, hosts)).toThrow(/known: orch, wa, hb:orch, hb:wb/);
  });
});
