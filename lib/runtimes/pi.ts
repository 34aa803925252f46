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
  },
};
