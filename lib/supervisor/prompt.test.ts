import { describe, expect, it } from 'vitest';
import { normalizeText } from '../send/text.js';
import type { CardView } from '../store/contract.js';
import {
  authHalt,
  cardPrompt,
  escalationPrompt,
  expandTabs,
  looksLikeAuthFailure,
} from './prompt.js';

describe('prompts and auth detection', () => {
  it('puts each report command on a line of its own with owner and fence', () => {
    const card = {
      id: 'B2',
      title: 'Build the API',
      body: 'work: 2s',
      acceptance: { criteria: ['tests pass'], check: 'npm test' },
    } as CardView;
    const lines = cardPrompt(card, { owner: 'w0@h#3', fence: 7 }).split('\n');
    expect(lines[0]).toBe('[fleet task B2] Build the API');
    expect(lines).toContain('fleet backlog complete --id B2 --owner w0@h#3 --fence 7');
    expect(lines).toContain('fleet backlog fail --id B2 --owner w0@h#3 --fence 7 --reason "<why>"');
    expect(lines).toContain('Acceptance: (1) tests pass');
  });

  it('types a card with tabs (allowed in a body) as spaces, which delivery accepts', () => {
    expect(expandTabs('a\tb\n\tc\n12345678\tx')).toBe('a       b\n        c\n12345678        x');
    const card = {
      id: 'T1',
      title: 'Tabs',
      body: 'col1\tcol2',
      acceptance: { criteria: ['a\tb'] },
    } as CardView;
    const prompt = cardPrompt(card, { owner: 'w0@h#1', fence: 1 });
    expect(prompt.split('\n')[1]).toBe('col1    col2');
    expect(normalizeText(prompt)).toBe(prompt);
  });

  it('quotes an old card with a control character in an escalation that can still be typed', () => {
    const text = escalationPrompt({
      id: 'old',
      title: 'a\x1b[2Jb',
      attempts: 3,
      last_error: 'check failed:\n\x1b[31mred\x1b[0m',
    });
    expect(text).toContain('"a\\x1B[2Jb"');
    expect(text).toContain('check failed:\n\\x1B[31mred');
    expect(normalizeText(text)).toBe(text);
  });

  it('tells credential failures from crashes', () => {
    expect(looksLikeAuthFailure('Error: Invalid API key provided')).toBe(true);
    expect(looksLikeAuthFailure('401 Unauthorized')).toBe(true);
    expect(looksLikeAuthFailure('Please run /login')).toBe(true);
    expect(looksLikeAuthFailure('Segmentation fault (core dumped)')).toBe(false);
  });

  it('halts recovery only when auth failures span agents', () => {
    expect(authHalt(new Map([['a', 3]]))).toBe(false);
    expect(
      authHalt(
        new Map([
          ['a', 1],
          ['b', 1],
        ]),
      ),
    ).toBe(true);
  });
});
