/**
 * Claim owners written by fleetd on an agent's behalf: `<agent>@<host>#<epoch>`. The epoch ties
 * a claim to one incarnation, so a completion from an agent that has since been restarted
 * carries an owner that no longer matches and is refused by the store's fence.
 */
export interface Owner {
  agent: string;
  host: string;
  epoch: number;
}

export const formatOwner = (o: Owner): string => `${o.agent}@${o.host}#${o.epoch}`;

export function parseOwner(s: string | null): Owner | null {
  const m = s ? /^([a-z][a-z0-9_-]{0,47})@(.+)#(\d+)$/.exec(s) : null;
  return m ? { agent: m[1]!, host: m[2]!, epoch: Number(m[3]) } : null;
}
