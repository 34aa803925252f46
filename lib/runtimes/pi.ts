import path from 'node:path';
import { modelFlag } from './args.js';
import type { ResumeSupport, RuntimeAdapter, SessionPlace } from './types.js';

const expandTilde = (p: string, home: string) =>
  p === '~' ? home : p.startsWith('~/') ? path.join(home, p.slice(2)) : p;

/**
 * Where pi keeps a working directory's sessions (0.73.1): `$PI_CODING_AGENT_SESSION_DIR` as is,
 * else `<$PI_CODING_AGENT_DIR or ~/.pi/agent>/sessions/--<cwd, / as ->--/`. A `sessionDir` in
 * pi's settings.json also moves them; that file is not read here.
 */
export function piSessionDir(where: SessionPlace): string {
  const { env, home } = where;
  if (env.PI_CODING_AGENT_SESSION_DIR) return expandTilde(env.PI_CODING_AGENT_SESSION_DIR, home);
  const agentDir = env.PI_CODING_AGENT_DIR
    ? expandTilde(env.PI_CODING_AGENT_DIR, home)
    : path.join(home, '.pi', 'agent');
  const safe = `--${where.cwd.replace(/^[/\\]/, '').replace(/[/\\:]/g, '-')}--`;
  return path.join(agentDir, 'sessions', safe);
}

/**
 * pi names its own sessions (`--session` only opens one that exists) and reports nothing, so
 * the fleet reopens its latest one in the working directory: `--continue` (which starts a new
 * one when there is none).
 */
const piResume: ResumeSupport = {
  id: 'latest',
  resume: () => ({ argsAfter: ['--continue'] }),
  sessionFile: (_id, where) => ({ dir: piSessionDir(where), name: /\.jsonl$/ }),
};

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
  resume: piResume,
};
