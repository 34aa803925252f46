import type { HeartbeatStatus } from './protocol.js';

/**
 * Native state reports. Claude Code hooks: SessionStart and Stop mean it waits for a prompt,
 * UserPromptSubmit means it works, Notification means it asks a human — except the idle
 * reminder ("Claude is waiting for your input"), which is still idle. codex calls its
 * `notify` program with a JSON payload when a turn completes.
 */
export const CLAUDE_HOOK_EVENTS = [
  'SessionStart',
  'UserPromptSubmit',
  'Stop',
  'Notification',
] as const;
export type ClaudeHookEvent = (typeof CLAUDE_HOOK_EVENTS)[number];

export function claudeHookStatus(event: string, payload: unknown): HeartbeatStatus | null {
  switch (event) {
    case 'SessionStart':
    case 'Stop':
      return 'idle';
    case 'UserPromptSubmit':
      return 'busy';
    case 'Notification': {
      const msg =
        typeof payload === 'object' && payload !== null
          ? (payload as { message?: unknown }).message
          : undefined;
      if (typeof msg === 'string' && /waiting for your input/i.test(msg)) return 'idle';
      return 'waiting';
    }
    default:
      return null;
  }
}

export function codexNotifyStatus(payload: unknown): HeartbeatStatus | null {
  const type =
    typeof payload === 'object' && payload !== null
      ? (payload as { type?: unknown }).type
      : undefined;
  if (type === 'agent-turn-complete') return 'idle';
  if (typeof type === 'string' && /approval|permission/i.test(type)) return 'waiting';
  return null;
}

/** Parse a hook payload leniently: hooks must never fail the runtime that calls them. */
export function parsePayload(text: string): unknown {
  try {
    return text.trim() ? (JSON.parse(text) as unknown) : null;
  } catch {
    return null;
  }
}
