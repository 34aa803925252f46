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

function peersPart(self: ResolvedAgent, peers: readonly ResolvedAgent[]): string {
  if (!peers.length)
    return '### Peers\n\nYou are the only agent in the roster: there is no peer to message.';
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
