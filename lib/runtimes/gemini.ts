import { modelFlag } from './args.js';
import type { RuntimeAdapter } from './types.js';

export const gemini: RuntimeAdapter = {
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
};
