import path from 'node:path';
import { parsePayload, payloadString } from '../heartbeat/hooks.js';
import { cleanNote, type HeartbeatStatus } from '../heartbeat/protocol.js';
import { channelFlags, modelFlag, shellQuote } from './args.js';
import type { HookReport, ResumeSupport, RuntimeAdapter, SessionPlace } from './types.js';

/**
 * Claude Code hooks: SessionStart and Stop mean it waits for a prompt, UserPromptSubmit means
 * it works, Notification means it asks a human — except the idle reminder ("Claude is waiting
 * for your input", `notification_type: idle_prompt`), which is still idle, and `auth_success`,
 * which asks nothing.
 *
 * The Notification payload (on stdin) carries `message` ("Claude needs your permission to use
 * Bash"); newer versions add `notification_type` (`permission_prompt`, `idle_prompt`,
 * `auth_success`, `elicitation_dialog`), older ones a `title` instead, and some permission
 * prompts still come without the type (anthropics/claude-code#11964).
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
      const type = payloadString(payload, 'notification_type');
      if (type === 'auth_success') return null;
      const msg = payloadString(payload, 'message') ?? '';
      if (type === 'idle_prompt' || /waiting for your input/i.test(msg)) return 'idle';
      return 'waiting';
    }
    default:
      return null;
  }
}

/**
 * What a Notification said, as the record's note: `<notification_type>: <message>` (either
 * alone when the other is missing), cleaned (lib/heartbeat/protocol.ts cleanNote); other
 * events carry none.
 */
export function claudeHookNote(event: string, payload: unknown): string | undefined {
  if (event !== 'Notification') return undefined;
  const parts = [payloadString(payload, 'notification_type'), payloadString(payload, 'message')];
  return cleanNote(
    parts
      .map((p) => p?.trim())
      .filter(Boolean)
      .join(': '),
  );
}

/**
 * One `fleet hook claude <event>` call, its payload parsed leniently (never throws). Every
 * payload carries the conversation's `session_id`; a `/clear` starts a new one, announced by a
 * SessionStart with `source: "clear"` (docs/runtimes.md "Resume").
 */
export function claudeHookReport(event: string, stdin: string): HookReport {
  const payload = parsePayload(stdin);
  const report: HookReport = { status: claudeHookStatus(event, payload), event };
  const note = claudeHookNote(event, payload);
  if (note) report.note = note;
  const sessionId = payloadString(payload, 'session_id')?.trim();
  if (sessionId) report.sessionId = sessionId;
  return report;
}

/** Java's String.hashCode, as Claude Code computes it for long project paths. */
function javaHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = ((h << 5) - h + s.charCodeAt(i)) | 0;
  return h;
}

/**
 * The directory name Claude Code files a working directory's transcripts under: every
 * character but [A-Za-z0-9] becomes `-`; past 200 characters it is cut and a hash of the whole
 * path appended (read in 2.1.197, docs/runtimes.md "Resume").
 */
export function claudeProjectSlug(cwd: string): string {
  const slug = cwd.replace(/[^a-zA-Z0-9]/g, '-');
  return slug.length <= 200
    ? slug
    : `${slug.slice(0, 200)}-${Math.abs(javaHash(cwd)).toString(36)}`;
}

/** `$CLAUDE_CONFIG_DIR/projects/<slug of cwd>/<id>.jsonl`, ~/.claude without the variable. */
function claudeTranscript(id: string | null, where: SessionPlace) {
  if (!id) return null;
  const config = (where.env.CLAUDE_CONFIG_DIR || path.join(where.home, '.claude')).normalize('NFC');
  return { dir: path.join(config, 'projects', claudeProjectSlug(where.cwd)), name: `${id}.jsonl` };
}

/**
 * The fleet picks the id (`--session-id`, a UUID) and reopens it with `--resume`, which keeps
 * the id (only `--fork-session` would change it). An id already on disk is refused by
 * `--session-id` ("already in use"), one not on disk by `--resume` ("No conversation found").
 */
const claudeResume: ResumeSupport = {
  id: 'assigned',
  start: (id) => ({ argsAfter: ['--session-id', id] }),
  resume: (id) => ({ argsAfter: id ? ['--resume', id] : ['--continue'] }),
  sessionFile: claudeTranscript,
};

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
  extraDirs: (dirs) => ({ argsAfter: dirs.flatMap((d) => ['--add-dir', d]) }),
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
      read: (event = '', stdin) => claudeHookReport(event, stdin),
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
    // seen on 2.1.x (docs/runtimes.md "Attention")
    attention: {
      // `Do you want to proceed?` / `Do you want to make this edit to x.ts?` over `❯ 1. Yes`,
      // `Esc to cancel · Tab to amend` under the options
      permission: [
        /Do you want to proceed\?/,
        /Do you want to (?:make this edit to|create|overwrite|delete|allow)\b[^\n]*\?/,
        /Esc to cancel · Tab to amend/,
      ],
      // `You've hit your session limit · resets 5:10pm (Europe/Paris)`, `5-hour limit reached ∙
      // resets 3pm`, `Claude usage limit reached. Your limit will reset at …`, `/upgrade to
      // increase your usage limit.`; not the warning `Approaching usage limit`
      rateLimit: [
        /You['’]ve hit your (?:[\w-]+ )?limit\b/,
        /\blimit reached\s*[·∙•]\s*(?:resets|continuing automatically)\b/i,
        /Claude (?:AI )?usage limit reached/,
        /\/upgrade to increase your usage limit/,
      ],
      auth: [
        /Invalid API key\s*·\s*Please run \/login/,
        /OAuth token has expired/,
        /Not logged in\s*·\s*(?:Please )?run \/login/i,
        /API Error: 401\b/,
        /·\s*Please run \/login/,
      ],
    },
  },
  // a digit picks its option at once (no Enter); option 1 is always the plain yes
  approveKeys: ['1'],
  denyKeys: ['Escape'],
  resumeText: 'continue',
  resume: claudeResume,
};
