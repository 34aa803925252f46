import path from 'node:path';
import { channelFlags, modelFlag } from './args.js';
import type { RuntimeAdapter, SessionFileQuery, SessionPlace } from './types.js';

/** Where the stub keeps a conversation (framework/stub/agent.mjs "Conversations"). */
export function stubSessionFile(id: string | null, place: SessionPlace): SessionFileQuery | null {
  const home = place.env.MOSAIC_FLEET_HOME ?? place.env.FLEET_HOME;
  const dir = place.env.MOSAIC_STUB_SESSION_DIR ?? (home ? path.join(home, 'stub-sessions') : '');
  return dir && id ? { dir, name: `${id}.jsonl` } : null;
}

/**
 * The stub agent (framework/stub/agent.mjs): no LLM, used by the demo and the tests. It
 * writes heartbeat v1 itself, so fleetd does not write one for it, and it needs no hooks.
 */
export const stub: RuntimeAdapter = {
  id: 'stub',
  title: 'Stub agent (no LLM; demo and tests)',
  // symbolic: the program is frameworkScript, run with the fleet's own node
  bin: 'mosaic-stub-agent',
  frameworkScript: 'stub/agent.mjs',
  resetCommand: '/clear',
  supportsModel: true,
  supportsYolo: true,
  supportsChannels: true,
  nativeState: 'self',
  processNames: ['node', 'mosaic-stub-agent'],
  args: (o) => [...modelFlag(o.model), ...(o.yolo ? ['--yolo'] : []), ...channelFlags(o.channels)],
  // the stub prints the size and hash of what it read, so tests can compare
  contract: (c) => ({ argsAfter: ['--contract-file', c.file] }),
  // the stub's prompt carries its state: `stub> `, `stub[busy]> `, `stub[waiting]> `
  screen: {
    // capture-pane trims trailing blanks: an empty prompt reads `stub>`
    idle: [/^stub>(?: |$)/],
    busy: [/^stub\[busy\]>/],
    waiting: [/^stub\[waiting\]>/],
    input: /^stub(?:\[\w+\])?>\s?(.*)$/,
    tail: 1,
    // framework/stub/agent.mjs --ask-permission, --rate-limit S, --auth-fail: the question (or
    // the limit) right above the prompt that is the last line, so an answered one is history
    attention: {
      permission: [/(?:^|\n)Allow this command\? \(y = yes, n = no\)\nstub\[waiting\]>[^\n]*$/],
      rateLimit: [
        /(?:^|\n)\[stub\] Usage limit reached\. Your limit will reset at [^\n]*\nstub>[^\n]*$/,
      ],
      auth: [/^Invalid API key · Please run \/login$/m],
    },
  },
  approveKeys: ['y'],
  denyKeys: ['n'],
  resumeText: 'continue',
  // as Claude Code: the fleet picks the id, and reopens it by that id
  resume: {
    id: 'assigned',
    start: (id) => ({ argsAfter: ['--session-id', id] }),
    resume: (id) => ({ argsAfter: ['--resume', id ?? ''] }),
    sessionFile: stubSessionFile,
  },
};
