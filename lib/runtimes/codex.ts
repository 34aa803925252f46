import path from 'node:path';
import { parsePayload, payloadString } from '../heartbeat/hooks.js';
import type { HeartbeatStatus } from '../heartbeat/protocol.js';
import { modelFlag } from './args.js';
import type { HookReport, ResumeSupport, RuntimeAdapter } from './types.js';

/** codex calls its `notify` program with a JSON payload when a turn completes. */
export function codexNotifyStatus(payload: unknown): HeartbeatStatus | null {
  const type = payloadType(payload);
  if (type === 'agent-turn-complete') return 'idle';
  if (typeof type === 'string' && /approval|permission/i.test(type)) return 'waiting';
  return null;
}

function payloadType(payload: unknown): unknown {
  return typeof payload === 'object' && payload !== null
    ? (payload as { type?: unknown }).type
    : undefined;
}

/**
 * One `fleet hook codex '<json>'` call (never throws). The payload names the thread the turn
 * ran in (`thread-id`), which is the id `codex resume` takes (docs/runtimes.md "Resume").
 */
export function codexHookReport(arg: string): HookReport {
  const p = parsePayload(arg);
  const type = payloadType(p);
  const report: HookReport = {
    status: codexNotifyStatus(p),
    event: String(type ?? '') || 'notify',
  };
  const sessionId = payloadString(p, 'thread-id')?.trim();
  if (sessionId) report.sessionId = sessionId;
  return report;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * codex picks the thread id and says it in each notify; `codex resume <id>` is a subcommand,
 * so it goes first, and the global `-c` overrides and the TUI's own flags after it still apply
 * (0.171.0). Its rollout is `$CODEX_HOME/sessions/YYYY/MM/DD/rollout-<time>-<id>.jsonl`.
 */
const codexResume: ResumeSupport = {
  id: 'reported',
  resume: (id) => ({ argsFirst: id ? ['resume', id] : ['resume', '--last'] }),
  sessionFile: (id, where) =>
    id
      ? {
          dir: path.join(where.env.CODEX_HOME || path.join(where.home, '.codex'), 'sessions'),
          name: new RegExp(`^rollout-.*-${escapeRegExp(id)}\\.jsonl$`),
          recursive: true,
        }
      : null,
};

export const codex: RuntimeAdapter = {
  id: 'codex',
  title: 'Codex CLI',
  bin: 'codex',
  npmPackage: '@openai/codex',
  resetCommand: '/clear',
  supportsModel: true,
  supportsYolo: true,
  supportsChannels: false,
  nativeState: 'notify',
  processNames: ['codex', 'node'],
  args: (o) => [
    ...modelFlag(o.model),
    ...(o.yolo ? ['--dangerously-bypass-approvals-and-sandbox'] : []),
  ],
  // `developer_instructions` (config, via `-c`; the value is TOML, and a JSON string is a TOML
  // basic string) adds a developer message to every thread, `/clear` included; codex has no
  // file form of it (`model_instructions_file` replaces its own instructions)
  contract: (c) => ({ argsBefore: ['-c', `developer_instructions=${JSON.stringify(c.text)}`] }),
  // a config value, not --add-dir: that flag exits when the sandbox in effect is read-only
  extraDirs: (dirs) => ({
    argsBefore: ['-c', `sandbox_workspace_write.writable_roots=${JSON.stringify(dirs)}`],
  }),
  native: {
    // `-c notify=[...]`: a TOML array of the program's argv; codex appends the JSON payload
    wire: (ctx) => ({ argsBefore: ['-c', `notify=${JSON.stringify(ctx.hookArgv)}`] }),
    hook: {
      argument: '[payload]',
      help: 'the JSON codex passes to its notify program',
      payloadOnStdin: false,
      read: (arg) => codexHookReport(arg ?? ''),
    },
  },
  // seen on 0.169 (docs/runtimes.md): without a login it shows its sign-in chooser
  screen: {
    idle: [/^\s*›\s/m, /send\s+.*newline/i],
    busy: [/esc to interrupt/i, /Working/],
    waiting: [
      /Sign in with ChatGPT/i,
      /Choose how you want to use Codex/i,
      /Allow command\?/i,
      /Press Enter to continue/i,
      /approve/i,
      /Would you like to (?:run|make|grant)\b/,
      /Press enter to confirm or esc to cancel/i,
    ],
    input: /^\s*›\s?(.*)$/,
    // from codex's own TUI (docs/runtimes.md "Attention")
    attention: {
      // `Would you like to run the following command?` over `› 1. Yes, proceed (y)`
      permission: [
        /Would you like to (?:run the following command|make the following edits|grant these permissions)\?/,
        /Allow command\?/,
      ],
      // `■ You've hit your usage limit. … try again in 2 days 5 hours` / `Try again at 3:04 PM.`
      rateLimit: [/You['’]ve hit your usage limit/, /Quota exceeded\. Check your plan and billing/],
      // without a login it shows its sign-in chooser (docs/runtimes.md "Screens")
      auth: [
        /Choose how you want to use Codex/,
        /Sign in with ChatGPT/,
        /Your access token could not be refreshed/,
        /Please (?:log out and )?sign in\b/i,
        /\bNot (?:signed|logged) in\b/,
        /\b401 Unauthorized\b/,
      ],
    },
  },
  // `y` is the dialog's own shortcut for "Yes, proceed"; esc is "No, and tell Codex …"
  approveKeys: ['y'],
  denyKeys: ['Escape'],
  resumeText: 'continue',
  resume: codexResume,
};
