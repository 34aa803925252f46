import type { ResolvedAgent } from '../roster/resolve.js';
import { ORCHESTRATOR } from '../roster/rules.js';
import { code, shellWord, table } from './markdown.js';

/**
 * The peers-and-messaging part of a contract (docs/contract.md "Fleet comms"), also printed alone
 * by `fleet comms-block`. The commands match cli/agent-send.ts; the label a peer sees is
 * lib/send/text.ts `labelled()`, `[from <source>] <text>`, and `--source <self>` makes the
 * source the sender\'s agent name, which is the name to reply to. Pure.
 */

/** Host names an agent address `<host>:<agent>` can carry (lib/ops/relay-input.ts). */
const RELAY_HOST = /^[A-Za-z0-9._-]{1,253}$/;

/** The exact command that reaches `peer` from `self`, with `<text>` where the message goes. */
export function reachCommand(self: ResolvedAgent, peer: ResolvedAgent): string {
  const send = `fleet agent send ${peer.name} --verify --source ${self.name}`;
  // a peer on another host is reached through the relay (docs/architecture.md "The relay"):
  // this host's fleetd keeps the message for that host's, which types it with the same checks
  if (peer.host !== self.host && !peer.ssh && RELAY_HOST.test(peer.host))
    return `fleet agent send ${peer.host}:${peer.name} --verify --source ${self.name} "<text>"`;
  // an `ssh:` peer (or a host name no address can carry) is reached by running the send there;
  // the text goes on stdin, never through the remote shell
  if (peer.host !== self.host || peer.ssh)
    return `printf '%s\\n' "<text>" | ssh ${shellWord(peer.ssh ?? peer.host)} ${send} --file -`;
  return `${send} "<text>"`;
}

function peerLine(self: ResolvedAgent, peer: ResolvedAgent): string {
  if (!peer.enabled)
    return `- ${code(peer.name)}: not running (\`enabled: false\` in the roster); nothing reaches it.`;
  const where = peer.host !== self.host ? ` (on host ${code(peer.host)})` : '';
  return `- ${code(peer.name)}${where}: ${code(reachCommand(self, peer))}`;
}

/**
 * Past this many peers the contract names each one no more: a fleet of hundreds would spend the
 * contract's whole budget on its peers table (lib/contract/budget.ts).
 */
export const PEERS_LISTED = 40;

/** Classes every agent must be able to find by name: the floor, and who reviews. */
const NAMED_CLASSES = new Set([ORCHESTRATOR, 'enhancer', 'reviewer']);

/**
 * Which peers are listed one by one, and which are only counted: all of them up to PEERS_LISTED;
 * past it the floor and reviewers first, then the rest in roster order up to the cap. A peer
 * whose reach is not the usual command (disabled, or behind `ssh:`) is always listed.
 */
export function listedPeers(
  self: ResolvedAgent,
  peers: readonly ResolvedAgent[],
): { listed: ResolvedAgent[]; counted: ResolvedAgent[] } {
  if (peers.length <= PEERS_LISTED) return { listed: [...peers], counted: [] };
  const usual = (p: ResolvedAgent) =>
    p.enabled && !p.ssh && (p.host === self.host || RELAY_HOST.test(p.host));
  const first = peers.filter((p) => !usual(p) || NAMED_CLASSES.has(p.class));
  const rest = peers.filter((p) => !first.includes(p));
  const take = new Set([...first, ...rest.slice(0, Math.max(0, PEERS_LISTED - first.length))]);
  return {
    listed: peers.filter((p) => take.has(p)),
    counted: peers.filter((p) => !take.has(p)),
  };
}

/** One line for the peers not listed: how many of each class where, and how to reach them. */
function countedLine(self: ResolvedAgent, counted: readonly ResolvedAgent[]): string {
  const groups = new Map<string, number>();
  for (const p of counted) {
    const where = p.host === self.host ? 'this host' : `host ${code(p.host)}`;
    const k = `${code(p.class)} on ${where}`;
    groups.set(k, (groups.get(k) ?? 0) + 1);
  }
  const parts = [...groups].map(([k, n]) => `${n} ${k}`).join(', ');
  return [
    `- ${counted.length} more peers, not listed here: ${parts}. \`fleet agent roster\` lists every agent.`,
    `  Reach one on this host with ${code(`fleet agent send <name> --verify --source ${self.name} "<text>"`)}, and one on another host with ${code(`fleet agent send <host>:<name> --verify --source ${self.name} "<text>"`)}.`,
  ].join('\n');
}

function peersPart(self: ResolvedAgent, all: readonly ResolvedAgent[]): string {
  if (!all.length)
    return '### Peers\n\nYou are the only agent in the roster: there is no peer to message.';
  const { listed: peers, counted } = listedPeers(self, all);
  const rows = peers.map((p) => [
    code(p.name),
    p.alias ?? '',
    p.class,
    p.role ?? '',
    p.host === self.host ? `${p.host} (this host)` : p.host,
  ]);
  return [
    '### Peers',
    '',
    table(['name', 'alias', 'class', 'role', 'host'], rows),
    '',
    'Reach a peer with the command on its line, with your message in place of `<text>`:',
    '',
    ...peers.map((p) => peerLine(self, p)),
    ...(counted.length ? [countedLine(self, counted)] : []),
  ].join('\n');
}

function rulesPart(self: ResolvedAgent, peers: readonly ResolvedAgent[]): string {
  const me = self.name;
  const lead = peers.find((p) => p.class === ORCHESTRATOR);
  const example = (lead ?? peers[0])?.name ?? 'orchestrator';
  const escalate = lead ? `tell ${code(lead.name)}` : 'report it in your own pane';
  return [
    '### Messaging',
    '',
    "- A message from a peer arrives in your input as `[from <source>] <text>`. The source is the sender's agent name, or `<host>:operator` for a person working at that host.",
    `- To reply, send to the name in the label and give your own as the source: \`[from ${example}] …\` is answered with \`fleet agent send ${example} --verify --source ${me} "<reply>"\`. A person (\`<host>:operator\`) reads your pane, so answer them there.`,
    `- Always pass \`--verify\`. \`submitted\` means the peer accepted the message. \`queued\` means it is held and will be typed when the peer is free: do not send it again. Both exit 0. \`typed_not_submitted\`, \`refused_draft\`, \`no_evidence\` and \`send_failed\` (exit 20–23) mean it was not accepted: retry once later, then ${escalate}.`,
    '- The text is typed literally as one message; control characters are refused. Text with quotes, `$` or several lines goes on standard input:',
    '',
    '```sh',
    `fleet agent send <peer> --verify --source ${me} --file - <<'EOF'`,
    '<text>',
    'EOF',
    '```',
    '',
    "- `[fleet task …]`, `[fleet replan]` and `[fleet escalation]` come from the fleet's supervisor, not from a peer: act on them, do not reply to them.",
    "- Never attach to another agent's tmux session or type into it by any other means: `fleet agent send` is how agents talk.",
  ].join('\n');
}

/** The "Fleet comms" section body: who you are to your peers, who they are, and the rules. */
export function commsBody(
  self: ResolvedAgent,
  agents: readonly ResolvedAgent[],
  socket: string,
): string {
  const peers = agents.filter((a) => a.name !== self.name);
  const intro = `You are ${code(self.name)} on host ${code(self.host)}, tmux socket ${code(socket)}. Your messages reach peers labelled ${code(`[from ${self.name}]`)}.`;
  return [intro, '', peersPart(self, peers), '', rulesPart(self, peers)].join('\n');
}
