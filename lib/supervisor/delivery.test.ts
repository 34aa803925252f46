import { describe, expect, it } from 'vitest';
import { FleetError, usage } from '../errors.js';
import { normalizeText } from '../send/text.js';
import type { CardView } from '../store/contract.js';
import { afterError, afterVerdict, undeliverable } from './delivery.js';
import { cardPrompt } from './prompt.js';

const card = (fields: Partial<CardView>): CardView =>
  ({
    id: 'c1',
    title: 'a card',
    body: '',
    acceptance: { criteria: [] },
    ...fields,
  }) as CardView;

describe('what a failed delivery does to the claim', () => {
  it('blocks a stored card whose text could never be typed, naming the field', () => {
    expect(undeliverable(card({ title: 'a\x1bb' }))).toEqual({
      action: 'block',
      reason:
        'cannot be delivered: title contains control character U+001B at offset 1 (ESC); fix the card (fleet backlog update) and unblock it',
    });
    expect(undeliverable(card({ body: 'ok\n\x03' }))).toMatchObject({
      action: 'block',
      reason: expect.stringContaining('body contains control character U+0003 at offset 3'),
    });
    expect(
      undeliverable(card({ acceptance: { criteria: ['x', '\x00'], check: 'true' } })),
    ).toMatchObject({ reason: expect.stringContaining('acceptance.criteria[1] contains') });
    expect(undeliverable(card({ acceptance: { criteria: [], check: 'a\x9b' } }))).toMatchObject({
      reason: expect.stringContaining('acceptance.check contains control character U+009B'),
    });
  });

  it('passes what the prompt carries: line breaks, and tabs it expands', () => {
    const c = card({ title: 'title', body: 'a\tb\nc', acceptance: { criteria: ['x\ty'] } });
    expect(undeliverable(c)).toEqual({ action: 'none' });
    const prompt = cardPrompt(c, { owner: 'w0@h#1', fence: 1 });
    expect(normalizeText(prompt)).toBe(prompt);
  });

  it('releases the claim as a failed attempt when the agent did not take the prompt', () => {
    expect(afterVerdict('w0', { verdict: 'submitted', detail: 'ok' })).toEqual({ action: 'none' });
    for (const verdict of ['queued', 'typed_not_submitted', 'refused_draft', 'no_evidence']) {
      expect(afterVerdict('w0', { verdict, detail: 'why' })).toEqual({
        action: 'fail',
        reason: `delivery to w0 not accepted (${verdict}: why)`,
      });
    }
  });

  it('blocks on a refusal of the text itself, and fails the attempt on any other error', () => {
    const refused = afterError('w0', usage('text contains control character U+001B at offset 3'));
    expect(refused).toMatchObject({ action: 'block' });
    expect(refused.action !== 'none' && refused.reason).toContain('U+001B at offset 3');
    expect(afterError('w0', new FleetError('COMMAND_FAILED', 'tmux timed out'))).toEqual({
      action: 'fail',
      reason: 'delivery to w0 failed: tmux timed out',
    });
    expect(afterError('w0', new Error('boom\x1b'))).toEqual({
      action: 'fail',
      reason: 'delivery to w0 failed: boom\\x1B',
    });
    expect(afterError('w0', 'odd')).toMatchObject({ action: 'fail' });
    // a refused reset is the agent's configuration, not the card: an attempt, not a block
    expect(afterError('w0', usage('text contains control character'), 'reset')).toEqual({
      action: 'fail',
      reason: 'reset of w0 before delivery failed: text contains control character',
    });
  });
});
