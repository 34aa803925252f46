import path from 'node:path';
import { modelFlag } from './args.js';
import type { ResumeSupport, RuntimeAdapter } from './types.js';

/**
 * aider keeps the chat as Markdown in `.aider.chat.history.md` at the git root (moved by
 * `AIDER_CHAT_HISTORY_FILE`) and reads it back with `--restore-chat-history`: a `latest`
 * runtime. Looked for in the working directory, which is the root when the agent works at the
 * root of its repository. From its documented flags only; not run here (a pip package,
 * docs/runtimes.md "Resume").
 */
const aiderResume: ResumeSupport = {
  id: 'latest',
  resume: () => ({ argsAfter: ['--restore-chat-history'] }),
  sessionFile: (_id, where) => {
    const file = path.resolve(
      where.cwd,
      where.env.AIDER_CHAT_HISTORY_FILE || '.aider.chat.history.md',
    );
    return { dir: path.dirname(file), name: path.basename(file) };
  },
};

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
    // aider asks on one line and keeps it once answered (`… [Yes]: y`): only a question still
    // open on the last line counts (docs/runtimes.md "Attention")
    attention: {
      permission: [
        /(?:Run shell commands?|Create new file|Allow edits to [^\n?]*|Edit the files)\? \(Y\)es\/\(N\)o[^\n]*\]:\s*$/,
      ],
      rateLimit: [/The API provider has rate limited you/, /\bRateLimitError\b/],
      auth: [/The API provider is not able to authenticate you/, /\bAuthenticationError\b/],
    },
  },
  // it wants an explicit answer typed, then Enter
  approveKeys: ['y', 'Enter'],
  denyKeys: ['n', 'Enter'],
  resumeText: 'continue',
  resume: aiderResume,
};
