import { describe, expect, it } from 'vitest';
import { readAttention } from '../attention/screen.js';
import { classifyScreen, inputText } from '../screen.js';
import { getRuntime, listRuntimes } from './registry.js';

// Key rows of the screens recorded by test/real-runtimes.ts (docs/runtimes.md), without
// credentials, so a pattern change that no longer reads them fails here.
const RULE = '─'.repeat(80);
const SCREENS: Record<
  string,
  { lines: string[]; state: string; input: string | null; attention: string | null }
> = {
  pi: {
    lines: [
      ' pi v0.73.1',
      ' escape interrupt · ctrl+c/ctrl+d clear/exit · / commands · ! bash · ctrl+o more',
      ' Warning: No models available. Use /login to log into a provider via OAuth or API key. See:',
      RULE,
      '',
      RULE,
      '/tmp/project',
      '0.0%/0 (auto)                                   unknown',
    ],
    state: 'waiting',
    input: null,
    attention: 'auth_failed',
  },
  claude: {
    lines: [
      '╰──────────────────────────────────────╯',
      RULE,
      '❯',
      RULE,
      '  ? for shortcuts · ← for agents                 Not logged in · Run /login',
    ],
    state: 'waiting',
    input: '',
    attention: 'auth_failed',
  },
  codex: {
    lines: [
      "  Welcome to Codex, OpenAI's command-line coding agent",
      '  Choose how you want to use Codex.',
      '> 1. Sign in with ChatGPT',
      '  Press enter to continue',
    ],
    state: 'waiting',
    input: null,
    attention: 'auth_failed',
  },
  opencode: {
    lines: [
      '       ┃  Ask anything… "Fix a TODO in the codebase"',
      '       ┃  Build · Big Pickle OpenCode Zen',
      ...Array.from({ length: 30 }, () => ''),
      '                          tab agents  ctrl+p commands',
      '  /tmp/project                                  1.18.33',
    ],
    state: 'idle',
    input: null,
    attention: null,
  },
};

describe('screen patterns read the recorded real runtimes', () => {
  it.each(Object.keys(SCREENS))('%s', (id) => {
    const s = SCREENS[id]!;
    const screen = getRuntime(id).screen;
    expect(classifyScreen(s.lines, screen)).toBe(s.state);
    expect(inputText(s.lines, screen)).toBe(s.input);
    // without credentials each one needs a login, opencode excepted (it has free models)
    expect(readAttention(s.lines, getRuntime(id), 0)?.reason ?? null).toBe(s.attention);
  });

  it('a logged-in Claude Code prompt with a draft reads as idle with that draft', () => {
    const screen = getRuntime('claude').screen;
    const lines = [RULE, '❯ half a thought', RULE, '  ? for shortcuts'];
    expect(classifyScreen(lines, screen)).toBe('idle');
    expect(inputText(lines, screen)).toBe('half a thought');
  });
});

describe('answering a runtime', () => {
  // tmux key names pressed one by one (never typed as text): a letter or digit, or a named key
  const KEY = /^(?:[a-zA-Z0-9]|Enter|Escape|Tab|Up|Down|Left|Right|BSpace|Space)$/;

  it.each(listRuntimes().map((r) => [r.id, r] as const))(
    '%s: keys for its permission prompt, and what resumes it',
    (_id, r) => {
      const asks = (r.screen.attention?.permission?.length ?? 0) > 0;
      expect(Boolean(r.approveKeys?.length)).toBe(asks);
      expect(Boolean(r.denyKeys?.length)).toBe(asks);
      for (const k of [...(r.approveKeys ?? []), ...(r.denyKeys ?? [])]) expect(k).toMatch(KEY);
      expect(r.resumeText ?? 'continue').toBe('continue');
    },
  );
});
