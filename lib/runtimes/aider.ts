import { modelFlag } from './args.js';
import type { RuntimeAdapter } from './types.js';

export const aider: RuntimeAdapter = {
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
  // `--read` adds a read-only file to every request (aider's documented way to give conventions);
  // `/clear` drops the chat history, not the read-only files
  contract: (c) => ({ argsAfter: ['--read', c.file] }),
  screen: {
    idle: [/^\s*(\w+\s)?>\s*$/m],
    busy: [/Waiting for/i, /Tokens:/],
    waiting: [/\(Y\)es\/\(N\)o/i, /Open documentation url/i],
  },
};
