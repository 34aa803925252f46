import { modelFlag } from './args.js';
import type { RuntimeAdapter } from './types.js';

export const opencode: RuntimeAdapter = {
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
  // config `instructions` (absolute paths allowed) is merged from OPENCODE_CONFIG_CONTENT over
  // the operator's config and goes into every session's system prompt, `/new` included
  contract: (c) => ({
    env: { OPENCODE_CONFIG_CONTENT: JSON.stringify({ instructions: [c.file] }) },
  }),
  // seen on 1.18 (docs/runtimes.md): `Ask anything…` in the input box, `ctrl+p commands`
  screen: {
    idle: [/ctrl\+p commands/i, /enter send/i, /Ask anything/],
    // full-screen: its input box sits mid-screen, far above the last rows
    tail: 80,
    busy: [/esc interrupt/i, /working/i],
    waiting: [/permission/i, /auth login/i],
    // docs/runtimes.md "Attention": not yet recorded from a real run; its dialog sits mid-screen
    attention: {
      tail: 80,
      // `Permission required` over the buttons `Allow once  Allow always  Reject`
      permission: [/Permission required/i, /Allow once\b[^\n]*\bAllow always\b[^\n]*\bReject\b/],
      rateLimit: [
        /\b(?:usage|rate) limit (?:reached|exceeded)/i,
        /You['’]ve hit your (?:[\w-]+ )?limit\b/,
        /exceeded your current quota/i,
        /\brate_limit_error\b/,
      ],
      auth: [
        /opencode auth login/i,
        /Invalid API key/i,
        /API key (?:is )?(?:missing|invalid|not valid)/i,
        /\bauthentication_error\b/,
        /\b401\b[^\n]*Unauthorized/i,
      ],
    },
  },
  // the dialog opens on "Allow once"; esc rejects
  approveKeys: ['Enter'],
  denyKeys: ['Escape'],
  resumeText: 'continue',
  // its session ids are its own (`ses_…`) and it reports none: `--continue` reopens the latest
  // session of the project (its git repository), or starts one when there is none (1.18.33).
  // Its sessions live in a SQLite database (~/.local/share/opencode/opencode.db), so there is no
  // file to look for: the launcher assumes there is one (docs/runtimes.md "Resume")
  resume: { id: 'latest', resume: () => ({ argsAfter: ['--continue'] }) },
};
