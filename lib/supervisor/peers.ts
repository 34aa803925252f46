/**
 * What changed in the fleet's peer table between two rosters, as the short note running agents
 * get (docs/contract.md "Fleet comms"): pure, deterministic, null when nothing an agent would
 * address changed.
 */
export interface Peer {
  name: string;
  alias: string | null;
  class: string;
  role: string | null;
  host: string;
  enabled: boolean;
}

const describe = (p: Peer) =>
  `${p.name}${p.alias ? ` "${p.alias}"` : ''} (${p.class}${p.role ? `, ${p.role}` : ''}) on ${p.host}`;

const same = (a: Peer, b: Peer) =>
  a.alias === b.alias &&
  a.class === b.class &&
  a.role === b.role &&
  a.host === b.host &&
  a.enabled === b.enabled;

export function peerChanges(before: readonly Peer[], after: readonly Peer[]): string[] {
  const old = new Map(before.map((p) => [p.name, p]));
  const now = new Map(after.map((p) => [p.name, p]));
  const out: string[] = [];
  for (const p of [...after].sort((a, b) => a.name.localeCompare(b.name))) {
    const was = old.get(p.name);
    if (!was) out.push(`+ ${describe(p)}`);
    else if (!same(was, p))
      out.push(`~ ${describe(p)}${p.enabled ? '' : ' — disabled'} (was ${describe(was)})`);
  }
  for (const p of [...before].sort((a, b) => a.name.localeCompare(b.name)))
    if (!now.has(p.name)) out.push(`- ${p.name} left the fleet`);
  return out;
}

/** The note for one agent, or null when the changes are only about itself. */
export function peerNote(agent: string, changes: readonly string[]): string | null {
  const others = changes.filter((c) => !new RegExp(`^[+~-] ${agent}\\b`).test(c));
  if (!others.length) return null;
  return [
    `[fleet peers] The fleet changed: ${others.join('; ')}.`,
    `Your peer table now: fleet comms-block ${agent}`,
  ].join('\n');
}
