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
  },
};
