/** docs/architecture.md invariant 2: safe as tmux targets, file names and systemd unit names. */
export const AGENT_NAME_RE = /^[a-z][a-z0-9_-]{0,47}$/;

export function isAgentName(name: string): boolean {
  return AGENT_NAME_RE.test(name);
}

export const AGENT_NAME_RULE =
  'must match ^[a-z][a-z0-9_-]{0,47}$ (lowercase letter first, at most 48 chars)';
