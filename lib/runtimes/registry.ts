import { FleetError } from '../errors.js';
import type { RuntimeAdapter } from './types.js';

const modelFlag = (model: string | undefined): string[] => (model ? ['--model', model] : []);

/**
 * The shipped runtimes. Flags follow each CLI's own documentation; the idle/busy/waiting
 * patterns come from looking at each TUI started without credentials (test/real-runtimes).
 */
const adapters: readonly RuntimeAdapter[] = [
  {
    id: 'claude',
    title: 'Claude Code',
    bin: 'claude',
    npmPackage: '@anthropic-ai/claude-code',
    resetCommand: '/clear',
    supportsModel: true,
    supportsYolo: true,
    supportsChannels: true,
    nativeState: 'hooks',
    processNames: ['claude', 'node'],
    args: (o) => [
      ...modelFlag(o.model),
      ...(o.yolo ? ['--dangerously-skip-permissions'] : []),
      ...o.channels.flatMap((c) => ['--channels', c]),
    ],
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
  },
  {
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
  },
  {
    id: 'pi',
    title: 'pi',
    bin: 'pi',
    npmPackage: '@mariozechner/pi-coding-agent',
    resetCommand: '/new',
    supportsModel: true,
    supportsYolo: false,
    supportsChannels: false,
    nativeState: 'heartbeat',
    processNames: ['pi', 'node'],
    args: (o) => modelFlag(o.model),
    // seen on 0.73 (docs/runtimes.md): the editor is the row between two full-width rules
    screen: {
      idle: [/^\s*>\s*$/m, /─{20,}\n[^\n]*\n─{20,}/],
      busy: [/Working/i, /esc to (interrupt|abort)/i],
      waiting: [/\/login/i, /No API key/i, /No models available/i],
    },
  },
  {
    id: 'opencode',
    title: 'opencode',
    bin: 'opencode',
    npmPackage: 'opencode-ai',
    resetCommand: '/new',
    supportsModel: true,
    supportsYolo: false,
    supportsChannels: false,
    nativeState: 'heartbeat',
    processNames: ['opencode', 'node'],
    args: (o) => modelFlag(o.model),
    // seen on 1.18 (docs/runtimes.md): `Ask anything…` in the input box, `ctrl+p commands`
    screen: {
      idle: [/ctrl\+p commands/i, /enter send/i, /Ask anything/],
      // full-screen: its input box sits mid-screen, far above the last rows
      tail: 80,
      busy: [/esc interrupt/i, /working/i],
      waiting: [/permission/i, /auth login/i],
    },
  },
  {
    id: 'gemini',
    title: 'Gemini CLI',
    bin: 'gemini',
    npmPackage: '@google/gemini-cli',
    resetCommand: '/clear',
    supportsModel: true,
    supportsYolo: true,
    supportsChannels: false,
    nativeState: 'heartbeat',
    processNames: ['gemini', 'node'],
    args: (o) => [...modelFlag(o.model), ...(o.yolo ? ['--yolo'] : [])],
    screen: {
      idle: [/Type your message/i],
      busy: [/esc to cancel/i],
      waiting: [/Allow execution/i, /Login with Google/i, /Waiting for auth/i],
    },
  },
  {
    id: 'aider',
    title: 'aider',
    bin: 'aider',
    resetCommand: '/clear',
    supportsModel: true,
    supportsYolo: true,
    supportsChannels: false,
    nativeState: 'heartbeat',
    processNames: ['aider', 'python', 'python3'],
    args: (o) => [...modelFlag(o.model), ...(o.yolo ? ['--yes-always'] : [])],
    screen: {
      idle: [/^\s*(\w+\s)?>\s*$/m],
      busy: [/Waiting for/i, /Tokens:/],
      waiting: [/\(Y\)es\/\(N\)o/i, /Open documentation url/i],
    },
  },
  {
    id: 'stub',
    title: 'Stub agent (no LLM; demo and tests)',
    // resolved to framework/stub/agent.mjs by the launcher
    bin: 'mosaic-stub-agent',
    resetCommand: '/clear',
    supportsModel: true,
    supportsYolo: true,
    supportsChannels: true,
    nativeState: 'self',
    processNames: ['node', 'mosaic-stub-agent'],
    args: (o) => [
      ...modelFlag(o.model),
      ...(o.yolo ? ['--yolo'] : []),
      ...o.channels.flatMap((c) => ['--channels', c]),
    ],
    // the stub's prompt carries its state: `stub> `, `stub[busy]> `, `stub[waiting]> `
    screen: {
      // capture-pane trims trailing blanks: an empty prompt reads `stub>`
      idle: [/^stub>(?: |$)/],
      busy: [/^stub\[busy\]>/],
      waiting: [/^stub\[waiting\]>/],
      input: /^stub(?:\[\w+\])?>\s?(.*)$/,
      tail: 1,
    },
  },
];

const byId = new Map(adapters.map((a) => [a.id, a]));

export const RUNTIME_IDS: readonly string[] = adapters.map((a) => a.id);

export function listRuntimes(): readonly RuntimeAdapter[] {
  return adapters;
}

export function findRuntime(id: string): RuntimeAdapter | undefined {
  return byId.get(id);
}

export function getRuntime(id: string): RuntimeAdapter {
  const r = byId.get(id);
  if (!r) {
    throw new FleetError('NOT_FOUND', `unknown runtime "${id}" (known: ${RUNTIME_IDS.join(', ')})`);
  }
  return r;
}
