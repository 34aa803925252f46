/**
 * Which agent a name means across hosts (docs/architecture.md "The relay"). Pure: this host's
 * agents and the register's hosts in, a target or a clear error out.
 *
 * - `host:agent` names one host's agent;
 * - a bare name is this host's agent when it has one, else the one other host that has it;
 * - a bare name on two or more other hosts must be given with its host.
 */
import { AgentNotFound, FleetError } from '../errors.js';

export type Target =
  | { where: 'here'; agent: string }
  | { where: 'there'; host: string; agent: string; reachable: boolean; age_s: number | null };

export interface KnownHost {
  host: string;
  reachable: boolean;
  age_s: number | null;
  agents: readonly { name: string }[];
}

export function parseAddress(address: string): { host: string | null; agent: string } {
  const at = address.lastIndexOf(':');
  if (at < 0) return { host: null, agent: address };
  const host = address.slice(0, at);
  const agent = address.slice(at + 1);
  if (!host || !agent)
    throw new FleetError(
      'USAGE',
      `"${address}" is not an agent address: give <agent> or <host>:<agent>`,
    );
  return { host, agent };
}

export function resolveTarget(
  address: string,
  here: { host: string; agents: readonly string[] },
  hosts: readonly KnownHost[],
): Target {
  const { host, agent } = parseAddress(address);
  const others = hosts.filter((h) => h.host !== here.host);
  const there = (h: KnownHost): Target => ({
    where: 'there',
    host: h.host,
    agent,
    reachable: h.reachable,
    age_s: h.age_s,
  });
  if (host === here.host || (host === null && here.agents.includes(agent))) {
    if (!here.agents.includes(agent)) throw new AgentNotFound(address, here.agents);
    return { where: 'here', agent };
  }
  if (host !== null) {
    const h = others.find((x) => x.host === host);
    if (!h) {
      const known = [here.host, ...others.map((x) => x.host)];
      throw new FleetError('NOT_FOUND', `unknown host "${host}" (known: ${known.join(', ')})`);
    }
    if (!h.agents.some((a) => a.name === agent))
      throw new AgentNotFound(
        address,
        h.agents.map((a) => `${h.host}:${a.name}`),
      );
    return there(h);
  }
  const holders = others.filter((h) => h.agents.some((a) => a.name === agent));
  if (holders.length === 1) return there(holders[0]!);
  if (holders.length > 1) {
    const names = holders.map((h) => `${h.host}:${agent}`);
    throw new FleetError(
      'USAGE',
      `agent "${agent}" is on hosts ${holders.map((h) => h.host).join(', ')}: address it as ${names.join(' or ')}`,
    );
  }
  throw new AgentNotFound(address, [
    ...here.agents,
    ...others.flatMap((h) => h.agents.map((a) => `${h.host}:${a.name}`)),
  ]);
}
