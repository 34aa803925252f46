import { parsePayload } from '../heartbeat/hooks.js';
import type { HeartbeatStatus } from '../heartbeat/protocol.js';
import { modelFlag } from './args.js';
import type { RuntimeAdapter } from './types.js';

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
  native: {
    // `-c notify=[...]`: a TOML array of the program's argv; codex appends the JSON payload
    wire: (ctx) => ({ argsBefore: ['-c', `notify=${JSON.stringify(ctx.hookArgv)}`] }),
    hook: {
      argument: '[payload]',
      help: 'the JSON codex passes to its notify program',
      payloadOnStdin: false,
      read: (arg) => {
        const p = parsePayload(arg ?? '');
        const type = payloadType(p);
        return { status: codexNotifyStatus(p), event: String(type ?? '') || 'notify' };
      },
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
    ],
    input: /^\s*›\s?(.*)$/,
  },
};
