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
    waiting: [
      /Allow execution/i,
      /Login with Google/i,
      /Waiting for auth/i,
      /Apply this change\?/,
      /No, suggest changes \(esc\)/,
    ],
    // from gemini-cli's own dialogs and errors (docs/runtimes.md "Attention")
    attention: {
      // `Allow execution of: 'make'?` / `Apply this change?` over `● 1. Allow once`
      permission: [
        /Allow execution of\b[^\n]*\?/,
        /Apply this change\?/,
        /Do you want to proceed\?\n(?:\s*\n)*\s*● 1\. /,
      ],
      // `You have exhausted your capacity on this model. Your quota will reset after 2h52m39s.`
      rateLimit: [
        /exhausted your capacity on this model/i,
        /Your quota will reset after/i,
        /You exceeded your current quota/i,
        /Usage limit reached for\b/i,
      ],
      auth: [
        /API key not valid/i,
        /Waiting for auth/i,
        /Login with Google/i,
        /How would you like to authenticate/i,
      ],
    },
  },
  // a digit picks its option at once when no longer number could follow; 1 is "Allow once"
  approveKeys: ['1'],
  denyKeys: ['Escape'],
  resumeText: 'continue',
};
