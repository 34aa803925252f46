import { describe, expect, it } from 'vitest';
import type { CardView } from '../store/contract.js';
import { authHalt, cardPrompt, looksLikeAuthFailure } from './prompt.js';

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
