import { describe, expect, it } from 'vitest';
import { getRuntime } from '../runtimes/registry.js';
import type { RuntimeAdapter } from '../runtimes/types.js';
import { classifyScreen } from '../screen.js';
import { MAX_EVIDENCE, readAttention } from './screen.js';

// Tuesday 10 March 2026, 14:00 UTC (15:00 in Paris)
const NOW = Date.UTC(2026, 2, 10, 14, 0, 0);
const RULE = '─'.repeat(80);
const HOUR = 3_600_000;
const MIN = 60_000;

const read = (id: string, lines: string[], tz = 'UTC') =>
  readAttention(lines, getRuntime(id), NOW, tz);

/** The screens a normal working day shows: none of them needs a human. */
const CALM: Record<string, string[][]> = {
  claude: [
    [
      '⏺ Reading lib/screen.ts',
      '✻ Cooking… (esc to interrupt · 12s)',
      RULE,
      '❯',
      RULE,
      '  ? for shortcuts',
    ],
    ['⏺ Done: the tests pass.', '', RULE, '❯ ', RULE, '  ? for shortcuts · ← for agents'],
    // the warning before a limit is not the limit
    ['  ⎿  Approaching usage limit · resets at 4pm', RULE, '❯ ', RULE, '  ? for shortcuts'],
  ],
  codex: [
    ['• Working (12s • esc to interrupt)', '', '› Explain this code', '  100% context left'],
    ['› Ask Codex to do anything', '  ⏎ send   ⇧⏎ newline   ⌃T transcript   ⌃C quit'],
    ['/status', '  • Signed in with ChatGPT', '  • Plan: Plus', '', '› Ask Codex to do anything'],
  ],
  gemini: [
    ['⠏ Thinking about the fix (esc to cancel, 5s)', '', ' > Type your message or @path/to/file'],
    ['✦ The tests pass now.', '', ' > Type your message or @path/to/file'],
  ],
  opencode: [
    [
      '       ┃  Ask anything… "Fix a TODO in the codebase"',
      '       ┃  Build · Big Pickle OpenCode Zen',
      ...Array.from({ length: 30 }, () => ''),
      '                          tab agents  ctrl+p commands',
      '  /tmp/project                                  1.18.33',
    ],
  ],
  pi: [
    [' pi v0.73.1', ' escape interrupt · ctrl+c/ctrl+d clear/exit · / commands', RULE, '', RULE],
    ['⠹ Working... (esc to interrupt)', RULE, '', RULE, '/tmp/project'],
  ],
  aider: [
    ['Tokens: 9.8k sent, 213 received.', '', '> '],
    ['> add a feature', 'Waiting for anthropic/claude-sonnet-4'],
  ],
  stub: [
    ['Mosaic stub agent "a1"', 'stub> '],
    ['[stub] working on t1 (1/3)', 'stub[busy]> '],
  ],
};

describe('a normal busy or idle screen raises nothing', () => {
  for (const [id, screens] of Object.entries(CALM)) {
    it.each(screens.map((s, i) => [i, s] as const))(`${id} #%i`, (_i, lines) => {
      expect(read(id, [...lines])).toBeNull();
    });
  }
});

describe('Claude Code', () => {
  const prompt = (...above: string[]) => [...above, '', RULE, '❯ ', RULE, '  ? for shortcuts'];

  it('a Bash permission prompt, with the command in the evidence', () => {
    const lines = [
      '⏺ Bash(make check)',
      '  ⎿  Running…',
      RULE,
      ' Bash command',
      '',
      '   make check',
      '   Run the project checks',
      '',
      ' Do you want to proceed?',
      ' ❯ 1. Yes',
      "   2. Yes, and don't ask again for make commands in /work/app",
      '   3. No',
      '',
      ' Esc to cancel · Tab to amend · ctrl+e to explain',
    ];
    const a = read('claude', lines);
    expect(a).toMatchObject({ reason: 'permission', resetAt: null });
    expect(a!.evidence.split('\n')).toEqual([
      RULE,
      ' Bash command',
      '',
      '   make check',
      '   Run the project checks',
      '',
      ' Do you want to proceed?',
      ' ❯ 1. Yes',
      "   2. Yes, and don't ask again for make commands in /work/app",
      '   3. No',
      '',
      ' Esc to cancel · Tab to amend · ctrl+e to explain',
    ]);
    expect(classifyScreen(lines, getRuntime('claude').screen)).toBe('waiting');
  });

  it('an edit permission prompt', () => {
    const lines = [
      ' Edit file',
      ' lib/screen.ts',
      ' Do you want to make this edit to screen.ts?',
      ' ❯ 1. Yes',
      '   2. Yes, allow all edits during this session (shift+tab)',
      '   3. No',
      '',
      ' Esc to cancel · Tab to amend',
    ];
    expect(read('claude', lines)?.reason).toBe('permission');
    expect(classifyScreen(lines, getRuntime('claude').screen)).toBe('waiting');
  });

  it.each([
    [
      "  ⎿  You've hit your session limit · resets 5:10pm (Europe/Paris)",
      NOW + 2 * HOUR + 10 * MIN,
    ],
    ["  ⎿  You've hit your limit · resets 11pm (UTC)", NOW + 9 * HOUR],
    ['  ⎿  5-hour limit reached ∙ resets 4pm', NOW + 2 * HOUR],
    ['  ⎿  Session limit reached ∙ resets 8pm', NOW + 6 * HOUR],
    ['  ⎿  Claude usage limit reached. Your limit will reset at 4pm (Europe/Paris).', NOW + HOUR],
    [
      '  ⎿  Usage limit reached · continuing automatically at 9:10pm · esc to cancel',
      NOW + 7 * HOUR + 10 * MIN,
    ],
  ])('a usage limit: %s', (line, resetAt) => {
    const lines = prompt(
      '⏺ Running the migration tests now.',
      '',
      line,
      '     /upgrade to increase your usage limit.',
    );
    const a = read('claude', lines);
    expect(a).toMatchObject({ reason: 'rate_limited', resetAt });
    expect(a!.evidence).toContain(line.trim());
  });

  it('reads a reset time without a zone in the zone it is given', () => {
    const lines = prompt('  ⎿  5-hour limit reached ∙ resets 4pm');
    expect(read('claude', lines, 'Europe/Paris')?.resetAt).toBe(NOW + HOUR);
  });

  it('an old limit above a runtime that works again is history', () => {
    const lines = [
      "  ⎿  You've hit your session limit · resets 3pm (UTC)",
      '❯ continue',
      '⏺ Picking up where I left off.',
      '✻ Cooking… (esc to interrupt · 3s)',
      RULE,
      '❯ ',
      RULE,
    ];
    expect(read('claude', lines)).toBeNull();
  });

  it.each([
    '  ⎿  Invalid API key · Please run /login',
    '  ⎿  API Error: 401 {"type":"error","error":{"type":"authentication_error","message":"OAuth token has expired. Please obtain a new token or refresh your existing token."}} · Please run /login',
    '  ? for shortcuts · ← for agents                 Not logged in · Run /login',
  ])('auth: %s', (line) => {
    const a = read('claude', [RULE, '❯ hello', line, RULE]);
    expect(a?.reason).toBe('auth_failed');
    expect(a!.evidence).toContain(line.trim());
  });

  it('auth wins over a limit, a limit over a permission prompt', () => {
    const limit = "  ⎿  You've hit your limit · resets 4pm (UTC)";
    const perm = [' Do you want to proceed?', ' ❯ 1. Yes', '   2. No'];
    expect(read('claude', [limit, ...perm])?.reason).toBe('rate_limited');
    expect(read('claude', [limit, ...perm, '  Invalid API key · Please run /login'])?.reason).toBe(
      'auth_failed',
    );
  });

  it('a question that is not a permission (the trust dialog) is a question', () => {
    const lines = [
      ' Do you trust the files in this folder?',
      ' /work/app',
      ' ❯ 1. Yes, proceed',
      '   2. No, exit',
      '',
      ' Enter to confirm · Esc to exit',
    ];
    expect(read('claude', lines)).toMatchObject({ reason: 'question', resetAt: null });
  });
});

describe('codex', () => {
  it('a command approval, from its own TUI', () => {
    const lines = [
      '',
      '  Would you like to run the following command?',
      '',
      '  Reason: run the project checks',
      '',
      '  $ make check',
      '',
      '› 1. Yes, proceed (y)',
      "  2. Yes, and don't ask again for commands that start with `make check` (p)",
      '  3. No, and tell Codex what to do differently (esc)',
      '',
      '  Press enter to confirm or esc to cancel',
    ];
    const a = read('codex', lines);
    expect(a?.reason).toBe('permission');
    expect(a!.evidence).toContain('$ make check');
    expect(classifyScreen(lines, getRuntime('codex').screen)).toBe('waiting');
  });

  it('an edit approval', () => {
    const lines = [
      '  Would you like to make the following edits?',
      '› 1. Yes, proceed (y)',
      "  2. Yes, and don't ask again for these files (a)",
      '  3. No, and tell Codex what to do differently (esc)',
      '  Press enter to confirm or esc to cancel',
    ];
    expect(read('codex', lines)?.reason).toBe('permission');
    expect(classifyScreen(lines, getRuntime('codex').screen)).toBe('waiting');
  });

  it('a usage limit with a wait, wrapped over two lines', () => {
    const lines = [
      '› fix the flaky test',
      '',
      "■ You've hit your usage limit. Upgrade to Pro (https://openai.com/chatgpt/pricing) or try again in 2 hours 5",
      'minutes.',
      '',
      '› Ask Codex to do anything',
    ];
    expect(read('codex', lines)).toMatchObject({
      reason: 'rate_limited',
      resetAt: NOW + 2 * HOUR + 5 * MIN,
    });
  });

  it('a usage limit with a clock time, in the host zone it is given', () => {
    const lines = ["■ You've hit your usage limit. Try again at 3:04 PM.", '', '› '];
    expect(read('codex', lines)?.resetAt).toBe(NOW + HOUR + 4 * MIN);
    expect(read('codex', lines, 'Europe/Paris')?.resetAt).toBe(NOW + 4 * MIN);
  });

  it.each([
    [
      [
        "  Welcome to Codex, OpenAI's command-line coding agent",
        '  Choose how you want to use Codex.',
        '> 1. Sign in with ChatGPT',
        '  Press enter to continue',
      ],
    ],
    [
      [
        '■ Your access token could not be refreshed because your refresh token has expired. Please log out and sign in again.',
        '› ',
      ],
    ],
    [['⚠  stream error: exceeded retry limit, last status: 401 Unauthorized', '› ']],
  ])('auth %#', (lines) => {
    expect(read('codex', [...lines])?.reason).toBe('auth_failed');
  });
});

describe('gemini', () => {
  it('an execution approval', () => {
    const lines = [
      '╭──────────────────────────────────╮',
      '│ ?  Shell make check              │',
      '│ make check                       │',
      "│ Allow execution of: 'make'?      │",
      '│                                  │',
      '│ ● 1. Allow once                  │',
      '│   2. Allow for this session      │',
      '│   3. No, suggest changes (esc)   │',
      '╰──────────────────────────────────╯',
    ];
    expect(read('gemini', lines)?.reason).toBe('permission');
    expect(classifyScreen(lines, getRuntime('gemini').screen)).toBe('waiting');
  });

  it('an edit approval', () => {
    const lines = [
      'Apply this change?',
      '',
      '● 1. Allow once',
      '  2. Modify with external editor',
      '  3. No, suggest changes (esc)',
    ];
    expect(read('gemini', lines)?.reason).toBe('permission');
    expect(classifyScreen(lines, getRuntime('gemini').screen)).toBe('waiting');
  });

  it('a quota with its reset', () => {
    const lines = [
      '✕ [API Error: You have exhausted your capacity on this model. Your quota will reset after 2h52m39s.]',
      '',
      ' > Type your message or @path/to/file',
    ];
    expect(read('gemini', lines)).toMatchObject({
      reason: 'rate_limited',
      resetAt: NOW + 2 * HOUR + 52 * MIN + 39_000,
    });
  });

  it('auth', () => {
    expect(
      read('gemini', ['✕ [API Error: API key not valid. Please pass a valid API key.]', ' > '])
        ?.reason,
    ).toBe('auth_failed');
    expect(read('gemini', ['⠋ Waiting for auth... (Press ESC or CTRL+C to cancel)'])?.reason).toBe(
      'auth_failed',
    );
  });
});

describe('opencode', () => {
  const box = (...rows: string[]) => [
    ...rows.map((r) => `       ┃  ${r}`),
    ...Array.from({ length: 20 }, () => ''),
    '                          tab agents  ctrl+p commands',
  ];

  it('a permission dialog mid-screen', () => {
    const lines = box(
      '△ Permission required',
      '→ Bash make check',
      '',
      'Allow once   Allow always   Reject',
    );
    expect(read('opencode', lines)?.reason).toBe('permission');
    expect(classifyScreen(lines, getRuntime('opencode').screen)).toBe('waiting');
  });

  it('a limit and a refused key', () => {
    expect(
      read('opencode', box('Error: Rate limit exceeded. Try again in 30 seconds')),
    ).toMatchObject({
      reason: 'rate_limited',
      resetAt: NOW + 30_000,
    });
    expect(read('opencode', box('Error: Invalid API key.'))?.reason).toBe('auth_failed');
  });
});

describe('pi', () => {
  it('the recorded screen without a provider is a login need', () => {
    const lines = [
      ' pi v0.73.1',
      ' Warning: No models available. Use /login to log into a provider via OAuth or API key. See:',
      RULE,
      '',
      RULE,
      '/tmp/project',
    ];
    expect(read('pi', lines)?.reason).toBe('auth_failed');
  });

  it('a provider rate limit', () => {
    const lines = [
      'Error: 429 {"type":"error","error":{"type":"rate_limit_error","message":"Number of requests has exceeded your rate limit"}}',
      RULE,
      '',
      RULE,
    ];
    expect(read('pi', lines)).toMatchObject({ reason: 'rate_limited', resetAt: null });
  });

  it('has no permission prompt to answer', () => {
    expect(getRuntime('pi').approveKeys).toBeUndefined();
  });
});

describe('aider', () => {
  it('an open shell-command question is a permission', () => {
    const lines = [
      '> run the checks',
      '',
      'make check',
      "Run shell command? (Y)es/(N)o/(D)on't ask again [Yes]:",
    ];
    const a = read('aider', lines);
    expect(a?.reason).toBe('permission');
    expect(a!.evidence).toContain('make check');
    expect(classifyScreen(lines, getRuntime('aider').screen)).toBe('waiting');
  });

  it('an answered one is not', () => {
    const lines = [
      "Run shell command? (Y)es/(N)o/(D)on't ask again [Yes]: y",
      'Running make check',
      'ok',
      '> ',
    ];
    expect(read('aider', lines)?.reason).not.toBe('permission');
  });

  it('another yes/no question is a question', () => {
    const lines = ['lib/x.py', "Add file to the chat? (Y)es/(N)o/(D)on't ask again [Yes]:"];
    expect(read('aider', lines)?.reason).toBe('question');
  });

  it('a rate limit and a refused key', () => {
    const limit = [
      'litellm.RateLimitError: AnthropicException - rate limit',
      'The API provider has rate limited you. Try again later or check your quotas.',
      '> ',
    ];
    expect(read('aider', limit)).toMatchObject({ reason: 'rate_limited', resetAt: null });
    const auth = [
      'litellm.AuthenticationError: bad key',
      'The API provider is not able to authenticate you. Check your API key.',
      '> ',
    ];
    expect(read('aider', auth)?.reason).toBe('auth_failed');
  });
});

describe('stub', () => {
  it('the permission question right above the waiting prompt', () => {
    const lines = [
      '[stub] received 8 chars sha256=abc: task t1 2',
      '[stub] permission needed: run `make check` for t1',
      'Allow this command? (y = yes, n = no)',
      'stub[waiting]> ',
    ];
    const a = read('stub', lines);
    expect(a?.reason).toBe('permission');
    expect(a!.evidence).toBe(lines.map((l) => l.trimEnd()).join('\n'));
  });

  it('answered, it is history', () => {
    const lines = [
      'Allow this command? (y = yes, n = no)',
      '[stub] approved',
      '[stub] working on t1 (1/2)',
      'stub[busy]> ',
    ];
    expect(read('stub', lines)).toBeNull();
  });

  it('a usage limit with its reset (UTC)', () => {
    const lines = ['[stub] Usage limit reached. Your limit will reset at 14:30:05 (UTC)', 'stub> '];
    expect(read('stub', lines, 'Europe/Paris')).toMatchObject({
      reason: 'rate_limited',
      resetAt: NOW + 30 * MIN + 5_000,
    });
  });

  it('auth, and `ask` as a plain question', () => {
    expect(read('stub', ['Invalid API key · Please run /login', 'stub> '])?.reason).toBe(
      'auth_failed',
    );
    expect(read('stub', ['[stub] waiting for human: which one?', 'stub[waiting]> '])).toMatchObject(
      {
        reason: 'question',
        evidence: '[stub] waiting for human: which one?\nstub[waiting]>',
      },
    );
  });
});

describe('evidence', () => {
  const toy: RuntimeAdapter = {
    ...getRuntime('stub'),
    id: 'toy',
    screen: {
      idle: [],
      busy: [],
      waiting: [/may I\?/],
      attention: { permission: [/^PERMIT/m] },
    },
  };

  it('is the hit line with at most 6 lines either side, blank edges trimmed', () => {
    const lines = [
      ...Array.from({ length: 10 }, (_, i) => `above ${i}`),
      '',
      'PERMIT rm -rf build   ',
      'below',
      '',
      '',
    ];
    const a = readAttention(lines, toy, NOW);
    expect(a!.evidence.split('\n')).toEqual([
      'above 5',
      'above 6',
      'above 7',
      'above 8',
      'above 9',
      '',
      'PERMIT rm -rf build',
      'below',
    ]);
  });

  it('escapes control characters', () => {
    const a = readAttention(['PERMIT \x1b[31mred\x07'], toy, NOW);
    expect(a!.evidence).toBe('PERMIT \\x1B[31mred\\x07');
  });

  it('keeps to 1500 characters, dropping the farthest lines first', () => {
    const long = 'x'.repeat(400);
    const lines = [long, long, long, 'PERMIT here', long, long, long];
    const a = readAttention(lines, toy, NOW);
    expect(a!.evidence.length).toBeLessThanOrEqual(MAX_EVIDENCE);
    expect(a!.evidence).toContain('PERMIT here');
    const huge = readAttention([`PERMIT ${'y'.repeat(5000)}`], toy, NOW);
    expect(huge!.evidence.length).toBe(MAX_EVIDENCE);
    expect(huge!.evidence.endsWith('…')).toBe(true);
  });

  it('a generic waiting screen is a question, with its line', () => {
    expect(readAttention(['hello', 'may I?'], toy, NOW)).toEqual({
      reason: 'question',
      evidence: 'hello\nmay I?',
      resetAt: null,
    });
  });

  it('a runtime without attention patterns only has questions', () => {
    expect(readAttention(['Do you want to proceed?'], getRuntime('claude'), NOW)?.reason).toBe(
      'permission',
    );
    expect(readAttention(['nothing'], toy, NOW)).toBeNull();
  });
});
