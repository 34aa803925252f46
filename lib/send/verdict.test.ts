import { describe, expect, it } from 'vitest';
import { normalizeText, needsBuffer, labelled } from './text.js';
import { SEND_VERDICTS, sendVerdict, verdictExitCode, type SendObservations } from './verdict.js';

const typed: SendObservations = {
  draft: '',
  typedSeen: true,
  after: { input: 'empty', changed: true, busy: false },
};

describe('send verdicts', () => {
  it.each<[string, SendObservations, string]>([
    ['accepted: input cleared and the screen moved', typed, 'submitted'],
    [
      'accepted: the agent reported busy',
      { ...typed, after: { input: 'unknown', changed: false, busy: true } },
      'submitted',
    ],
    ['deferred by a takeover or --when-idle', { ...typed, queued: true }, 'queued'],
    [
      'text still in the input after Enter',
      { ...typed, after: { input: 'has_text', changed: true, busy: false } },
      'typed_not_submitted',
    ],
    [
      'a draft was already there',
      { draft: 'half a thought', typedSeen: false, after: null },
      'refused_draft',
    ],
    ['typed text never showed', { draft: '', typedSeen: false, after: null }, 'no_evidence'],
    [
      'nothing shows what Enter did',
      { ...typed, after: { input: 'unknown', changed: true, busy: false } },
      'no_evidence',
    ],
    [
      'input empty but the screen never moved',
      { ...typed, after: { input: 'empty', changed: false, busy: false } },
      'no_evidence',
    ],
    ['tmux failed', { ...typed, failed: 'the pane is dead' }, 'send_failed'],
  ])('%s', (_what, obs, want) => {
    expect(sendVerdict(obs)).toBe(want);
  });

  it('exits zero only for submitted and queued', () => {
    const zero = SEND_VERDICTS.filter((v) => verdictExitCode(v) === 0);
    expect(zero).toEqual(['submitted', 'queued']);
    expect(new Set(SEND_VERDICTS.map(verdictExitCode)).size).toBe(5);
  });
});

describe('message text', () => {
  it('keeps hostile text as it is', () => {
    for (const t of ['$(touch x)', '`id`', 'C-c', 'Enter', 'rm -rf /;', '#{session_name}', '-n'])
      expect(normalizeText(t)).toBe(t);
  });

  it('refuses control characters, naming the character and its offset', () => {
    expect(() => normalizeText('ab\x03c')).toThrow(/U\+0003 at offset 2/);
    expect(() => normalizeText('\x1b[2J')).toThrow(/U\+001B at offset 0/);
    expect(() => normalizeText('a\tb')).toThrow(/U\+0009/);
    expect(() => normalizeText('')).toThrow(/empty/);
  });

  it('turns CRLF into LF and routes multi-line and long text through a buffer', () => {
    expect(normalizeText('a\r\nb\rc')).toBe('a\nb\nc');
    expect(needsBuffer('a\nb')).toBe(true);
    expect(needsBuffer('x'.repeat(100_000))).toBe(true);
    expect(needsBuffer('short')).toBe(false);
    expect(labelled('hi', 'h:operator')).toBe('[from h:operator] hi');
    expect(labelled('/clear', null)).toBe('/clear');
  });
});
