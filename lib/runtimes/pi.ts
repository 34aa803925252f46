import { modelFlag } from './args.js';
import type { RuntimeAdapter } from './types.js';

export const pi: RuntimeAdapter = {
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
  // `--append-system-prompt` reads a path that exists as the file's contents; `/new` keeps it
  contract: (c) => ({ argsAfter: ['--append-system-prompt', c.file] }),
  // seen on 0.73 (docs/runtimes.md): the editor is the row between two full-width rules
  screen: {
    idle: [/^\s*>\s*$/m, /─{20,}\n[^\n]*\n─{20,}/],
    busy: [/Working/i, /esc to (interrupt|abort)/i],
    waiting: [/\/login/i, /No API key/i, /No models available/i],
    // pi asks no permission for tools (none to approve); it prints the provider's errors
    attention: {
      rateLimit: [
        /You['’]ve hit your (?:[\w-]+ )?limit\b/,
        /\busage limit (?:reached|exceeded)/i,
        /\brate[_ ]limit(?:_error| exceeded| reached)/i,
        /exceeded your current quota/i,
      ],
      auth: [
        /No models available/i,
        /No API key/i,
        /Use \/login to log into a provider/i,
        /invalid x-api-key/i,
        /\bauthentication_error\b/,
        /OAuth token has expired/i,
      ],
    },
  },
  resumeText: 'continue',
};
