import { parsePayload } from '../heartbeat/hooks.js';
import type { HeartbeatStatus } from '../heartbeat/protocol.js';
import { channelFlags, modelFlag, shellQuote } from './args.js';
import type { RuntimeAdapter } from './types.js';

/**
 * Claude Code hooks: SessionStart and Stop mean it waits for a prompt, UserPromptSubmit means
 * it works, Notification means it asks a human — except the idle reminder ("Claude is waiting
 * for your input"), which is still idle.
 */
const CLAUDE_HOOK_EVENTS = ['SessionStart', 'UserPromptSubmit', 'Stop', 'Notification'] as const;
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

/**
 * The `--settings` file that wires the hooks (docs/runtimes.md "Findings"). Claude Code runs
 * hook commands through a shell, so the command is built from our own paths only, each
 * single-quoted; nothing from a roster or a user reaches it (the agent's identity comes from
 * its env).
 */
function claudeSettings(hookArgv: readonly string[]): string {
  const hooks: Record<string, unknown> = {};
  for (const event of CLAUDE_HOOK_EVENTS) {
    const command = [...hookArgv, event].map(shellQuote).join(' ');
    hooks[event] = [{ hooks: [{ type: 'command', command, timeout: 10 }] }];
  }
  return JSON.stringify({ hooks }, null, 2) + '\n';
}

export const claude: RuntimeAdapter = {
  id: 'claude',
  title: 'Claude Code',
  bin: 'claude',
  npmPackage: '@anthropic-ai/claude-code',
  resetCommand: '/clear',
  // The fleet's context cap: no 1M-token window, compaction at 200k (docs/runtimes.md). The
  // roster's `env` overrides either.
  env: { CLAUDE_CODE_DISABLE_1M_CONTEXT: '1', CLAUDE_CODE_AUTO_COMPACT_WINDOW: '200000' },
  supportsModel: true,
  supportsYolo: true,
  supportsChannels: true,
  nativeState: 'hooks',
  processNames: ['claude', 'node'],
  args: (o) => [
    ...modelFlag(o.model),
    ...(o.yolo ? ['--dangerously-skip-permissions'] : []),
    ...channelFlags(o.channels),
  ],
  // a hidden flag of 2.1.x, read in interactive mode too; `/clear` keeps the system prompt
  contract: (c) => ({ argsAfter: ['--append-system-prompt-file', c.file] }),
  native: {
    wire: (ctx) => {
      const file = ctx.runFile('claude-settings.json');
      return {
        files: [{ path: file, content: claudeSettings(ctx.hookArgv) }],
        argsAfter: ['--settings', file],
      };
    },
    hook: {
      argument: '<event>',
      help: CLAUDE_HOOK_EVENTS.join(' | '),
      payloadOnStdin: true,
      read: (event = '', stdin) => ({
        status: claudeHookStatus(event, parsePayload(stdin)),
        event,
      }),
    },
  },
  // seen on 2.1.x (docs/runtimes.md): `❯ ` between two rules, `? for shortcuts` below
  screen: {
    idle: [/^\s*[>❯]\s*$/m, /\? for shortcuts/],
    busy: [/esc to interrupt/i],
    waiting: [
      /Do you want to/i,
      /Select login method/i,
      /Press Enter to continue/i,
      /trust the files/i,
      /Not logged in/i,
      /Unable to connect to Anthropic/i,
    ],
    input: /^(?:│\s*)?[>❯]\s?(.*?)(?:\s*│)?$/,
  },
};
